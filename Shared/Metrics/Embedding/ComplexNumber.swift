/// Just enough complex arithmetic for the Schur square root.
struct ComplexNumber: Equatable {
    var re: Double
    var im: Double

    static let zero = ComplexNumber(re: 0, im: 0)

    static func + (a: Self, b: Self) -> Self { Self(re: a.re + b.re, im: a.im + b.im) }
    static func - (a: Self, b: Self) -> Self { Self(re: a.re - b.re, im: a.im - b.im) }
    static func * (a: Self, b: Self) -> Self { Self(re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re) }

    static func / (a: Self, b: Self) -> Self {
        let scale = b.re * b.re + b.im * b.im
        return Self(re: (a.re * b.re + a.im * b.im) / scale, im: (a.im * b.re - a.re * b.im) / scale)
    }

    var conjugate: Self { Self(re: re, im: -im) }
    var isFinite: Bool { re.isFinite && im.isFinite }

    /// The principal square root (non-negative real part; the sign of the
    /// imaginary part follows the input's, as NumPy's).
    var squareRoot: Self {
        let magnitude = (re * re + im * im).squareRoot()
        let real = ((magnitude + re) / 2).squareRoot()
        let imaginary = ((magnitude - re) / 2).squareRoot()
        return Self(re: real, im: im.sign == .minus ? -imaginary : imaginary)
    }
}
