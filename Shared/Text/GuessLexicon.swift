/// The word lists WordGuesser stands on: closed classes (complete enough for
/// captions), the verbs motion captions use, and irregular forms. Tags are
/// spaCy's universal POS tags, as HumanML3D's texts carry them.
enum GuessLexicon {
    static let closedClass: [String: String] = {
        var tags: [String: String] = [:]
        let groups: [(String, String)] = [
            ("DET", "a an the this that these those each every some any no another both either neither all half his her their its my your our"),
            ("ADP", "in on at to from with without into onto over under above below behind between through across along around about after before during until toward towards against near by of off out up down upon like as past beside inside outside within throughout"),
            ("PRON", "i you he she it we they me him her us them my your his its our their mine yours hers ours theirs himself herself itself themselves yourself myself oneself someone something somebody anyone anything everyone everything nothing one who whom whose which what"),
            ("AUX", "is are was were be been being am do does did has have had can could will would shall should may might must"),
            ("CCONJ", "and or but nor yet"),
            ("SCONJ", "while if because though although whereas once since than whether"),
            ("PART", "not n't 's"),
            ("NUM", "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty hundred"),
            ("ADV", "then again also very quickly slowly back forward forwards backward backwards sideways away around together still just only almost quite too so really repeatedly twice once briefly gently carefully fast slightly continuously finally first later soon now here there upward upwards downward downwards outward inward clockwise counterclockwise anticlockwise straight diagonally alternately simultaneously"),
            ("ADJ", "left right other same big small large little high low long short wide narrow full several few many much more most next last fast slow quick happy sad angry tired old young heavy light front rear upper lower whole entire circular straight"),
        ]
        for (tag, words) in groups { for word in words.split(separator: " ") where tags[String(word)] == nil { tags[String(word)] = tag } }
        return tags
    }()

    /// Base forms of verbs that motion captions use.
    static let verbs: Set<String> = Set("""
    walk run jog jump hop skip kick punch throw catch swing wave raise lower lift drop pick put place hold grab reach \
    turn spin rotate twist bend lean stretch squat kneel crouch sit stand rise get lie crawl climb step stomp stamp march \
    dance shuffle stumble trip fall slide roll flip cartwheel balance stop start begin continue go come move bring carry \
    push pull hit strike slash stab block dodge duck shake nod bow clap rub wash wipe brush scratch touch tap point look \
    face gesture celebrate stroll pace limp sprint dash lunge flap spread cross fold open close sway rock bounce pause \
    wait rest perform play do make take use try appear seem keep return repeat lean tilt circle flail fly shoot swim \
    stagger hunch drink eat talk call answer greet salute stir mix pour sweep paint draw write box fight kneel hug \
    grasp release toss wiggle jab
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    /// Words that are a noun after a determiner, adjective or possessive, a verb otherwise.
    static let nounOrVerb: Set<String> = ["kick", "walk", "run", "jump", "turn", "step", "wave", "swing", "punch", "hop",
                                          "squat", "stretch", "lunge", "spin", "bow", "circle", "dance", "throw", "jog",
                                          "slide", "roll", "flip", "cartwheel", "stroll", "march", "crawl", "clap", "nod",
                                          "shake", "pause", "rest", "box", "block", "stomp", "jab", "hit"]

    static let irregularVerbs: [String: String] = [
        "ran": "run", "running": "run", "went": "go", "goes": "go", "gone": "go", "came": "come", "sat": "sit",
        "stood": "stand", "threw": "throw", "thrown": "throw", "caught": "catch", "swung": "swing", "held": "hold",
        "took": "take", "taken": "take", "got": "get", "gotten": "get", "fell": "fall", "fallen": "fall", "made": "make",
        "brought": "bring", "put": "put", "hit": "hit", "spun": "spin", "rose": "rise", "risen": "rise", "lay": "lie",
        "lying": "lie", "knelt": "kneel", "leapt": "leap", "struck": "strike", "began": "begin", "begun": "begin",
        "did": "do", "done": "do", "flew": "fly", "flies": "fly", "shook": "shake", "drew": "draw", "drank": "drink",
        "ate": "eat", "swam": "swim", "dying": "die", "tying": "tie", "left": "leave",
    ]

    static let irregularNouns: [String: String] = [
        "feet": "foot", "teeth": "tooth", "men": "man", "women": "woman", "children": "child", "knees": "knee",
    ]
}
