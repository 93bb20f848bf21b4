import Foundation

/// One self-contained HTML page (no network): a 3D stick-figure view per
/// motion that the user rotates by dragging, a shared time slider to scrub,
/// play/pause. The joints are embedded as JSON (millimetre precision).
public enum HTMLRenderer {
    public static func page(_ motions: [JointPositions], captions: [String], fps: Double = 20, title: String = "IRG motion") -> String {
        let data = motions.enumerated().map { i, m -> [String: Any] in
            let frames = (0..<m.frames).map { t in (0..<m.joints).flatMap { j -> [Double] in
                let p = m[t, j]
                return [p.x, p.y, p.z].map { (Double($0) * 1000).rounded() / 1000 }
            } }
            return ["caption": i < captions.count ? captions[i] : "", "joints": m.joints, "frames": frames]
        }
        let json = String(decoding: try! JSONSerialization.data(withJSONObject: ["fps": fps, "motions": data]), as: UTF8.self)
            .replacingOccurrences(of: "</", with: "<\\/")
        return template.replacingOccurrences(of: "__TITLE__", with: escape(title))
            .replacingOccurrences(of: "__DATA__", with: json)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static let template = """
    <!doctype html>
    <html><head><meta charset="utf-8"><title>__TITLE__</title>
    <style>
     body{font-family:sans-serif;margin:16px;background:#fafafa;color:#222}
     #views{display:flex;flex-wrap:wrap;gap:12px}
     figure{margin:0;background:#fff;border:1px solid #ddd}
     figcaption{padding:6px 8px;font-size:14px;max-width:384px}
     canvas{display:block;cursor:grab}
     #controls{margin-top:12px;display:flex;gap:12px;align-items:center}
     input[type=range]{width:420px}
    </style></head><body>
    <div id="views"></div>
    <div id="controls"><button id="play">Pause</button><input id="time" type="range" min="0" value="0">
    <span id="label"></span><span style="color:#888">drag a view to rotate it</span></div>
    <script>
    const DATA = __DATA__;
    const CHAINS = [[[0,2,5,8,11],'#d62728'],[[0,1,4,7,10],'#1f77b4'],[[0,3,6,9,12,15],'#3c3c46'],
                    [[9,14,17,19,21],'#d62728'],[[9,13,16,18,20],'#1f77b4']];
    const count = Math.max(...DATA.motions.map(m => m.frames.length));
    const time = document.getElementById('time'); time.max = count - 1;
    let t = 0, playing = true;
    const views = DATA.motions.map(m => {
      const fig = document.createElement('figure');
      const canvas = document.createElement('canvas'); canvas.width = canvas.height = 384;
      const cap = document.createElement('figcaption'); cap.textContent = m.caption;
      fig.append(canvas, cap); document.getElementById('views').append(fig);
      const v = {m, canvas, az: 0.5, el: 0.35};
      let drag = null;
      canvas.onpointerdown = e => { drag = [e.clientX, e.clientY, v.az, v.el]; canvas.setPointerCapture(e.pointerId); };
      canvas.onpointermove = e => { if (!drag) return;
        v.az = drag[2] + (e.clientX - drag[0]) * 0.01;
        v.el = Math.max(-0.2, Math.min(1.4, drag[3] + (e.clientY - drag[1]) * 0.01)); draw(); };
      canvas.onpointerup = () => { drag = null; };
      return v;
    });
    function joint(m, f, j) { const a = m.frames[Math.min(f, m.frames.length - 1)]; return [a[3*j], a[3*j+1], a[3*j+2]]; }
    function draw() {
      for (const v of views) {
        const g = v.canvas.getContext('2d'), S = 384, k = S / 2.6;
        const r = joint(v.m, t, 0), c = [r[0], 0.9, r[2]];
        const ca = Math.cos(v.az), sa = Math.sin(v.az), ce = Math.cos(v.el), se = Math.sin(v.el);
        const P = p => { const d = [p[0]-c[0], p[1]-c[1], p[2]-c[2]];
          const x = d[0]*ca - d[2]*sa, y = -se*sa*d[0] + ce*d[1] - se*ca*d[2], z = sa*ce*d[0] + se*d[1] + ca*ce*d[2];
          return [S/2 + x*k, S/2 - y*k, z]; };
        g.fillStyle = '#fff'; g.fillRect(0, 0, S, S);
        g.strokeStyle = '#d7d7d7'; g.lineWidth = 1;
        const gx = Math.round(c[0]*2)/2, gz = Math.round(c[2]*2)/2;
        for (let q = -3; q <= 3; q += 0.5) {
          for (const [a, b] of [[[gx+q,0,gz-3],[gx+q,0,gz+3]], [[gx-3,0,gz+q],[gx+3,0,gz+q]]]) {
            const A = P(a), B = P(b); g.beginPath(); g.moveTo(A[0], A[1]); g.lineTo(B[0], B[1]); g.stroke(); } }
        g.strokeStyle = '#ff8c00'; g.lineWidth = 2; g.beginPath();
        for (let s = 0; s <= Math.min(t, v.m.frames.length - 1); s++) {
          const q = joint(v.m, s, 0), A = P([q[0], 0, q[2]]); s ? g.lineTo(A[0], A[1]) : g.moveTo(A[0], A[1]); }
        g.stroke();
        const bones = [];
        for (const [chain, color] of CHAINS) for (let i = 1; i < chain.length; i++) {
          const A = P(joint(v.m, t, chain[i-1])), B = P(joint(v.m, t, chain[i])); bones.push([(A[2]+B[2])/2, A, B, color]); }
        bones.sort((a, b) => a[0] - b[0]);
        g.lineCap = 'round'; g.lineWidth = 5;
        for (const [, A, B, color] of bones) { g.strokeStyle = color; g.beginPath(); g.moveTo(A[0], A[1]); g.lineTo(B[0], B[1]); g.stroke(); }
        const H = P(joint(v.m, t, 15)); g.fillStyle = '#3c3c46'; g.beginPath(); g.arc(H[0], H[1], 9, 0, 7); g.fill();
      }
      time.value = t; document.getElementById('label').textContent = `frame ${t + 1} / ${count}  (${(t / DATA.fps).toFixed(2)} s)`;
    }
    time.oninput = () => { t = +time.value; draw(); };
    document.getElementById('play').onclick = e => { playing = !playing; e.target.textContent = playing ? 'Pause' : 'Play'; };
    setInterval(() => { if (playing) { t = (t + 1) % count; draw(); } }, 1000 / DATA.fps);
    draw();
    </script></body></html>
    """
}
