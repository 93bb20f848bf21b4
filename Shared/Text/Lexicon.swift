/// Part-of-speech tags and lemmas for the caption vocabulary, one line per
/// word: `word TAG[:lemma] [TAG[:lemma] ...]`, the most common reading
/// first. Tags are spaCy's universal POS, as HumanML3D's captions carry
/// them; lemmas are given for nouns and verbs (the only words HumanML3D
/// lemmatises). `CaptionTagger` picks among readings by context.
enum Lexicon {
    static let entries: [String: [(tag: String, lemma: String)]] = {
        var table: [String: [(String, String)]] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ").map(String.init)
            guard let word = parts.first else { continue }
            table[word] = parts.dropFirst().map { reading in
                let pieces = reading.split(separator: ":", maxSplits: 1).map(String.init)
                return (pieces[0], pieces.count > 1 ? pieces[1] : word)
            }
        }
        return table
    }()

    static let text = """
    a DET
    an DET
    the DET
    all DET
    both DET
    one NUM
    several ADJ
    few ADJ
    someone PRON
    something PRON
    it PRON
    them PRON
    oneself PRON
    and CCONJ
    or CCONJ
    if SCONJ
    while SCONJ
    as ADP SCONJ
    is AUX
    does VERB:do
    not PART
    to ADP PART
    above ADP
    across ADP
    around ADV ADP
    at ADP
    by ADP
    from ADP
    in ADP
    into ADP
    of ADP
    on ADP
    over ADP ADV
    through ADP
    toward ADP
    with ADP
    without ADP
    like ADP
    near ADP
    up ADV ADP
    down ADV ADP
    back ADV
    out ADV
    forward ADV
    backward ADV
    ahead ADV
    straight ADV
    again ADV
    away ADV
    then ADV
    very ADV
    far ADV
    high ADV
    fast ADV
    sideways ADV
    repeatedly ADV
    carefully ADV
    loudly ADV
    slowly ADV
    happily ADV
    cheerfully ADV
    sadly ADV
    angrily ADV
    proudly ADV
    timidly ADV
    gracefully ADV
    playfully ADV
    energetically ADV
    actively ADV
    rhythmically ADV
    heavily ADV
    wearily ADV
    left ADJ NOUN ADV
    right ADJ NOUN ADV
    active ADJ
    angry ADJ
    balanced ADJ
    bumpy ADJ
    cheerful ADJ
    childish ADJ
    cocky ADJ
    confident ADJ
    elderly ADJ
    energetic ADJ
    exhausted ADJ
    feminine ADJ
    full ADJ
    furious ADJ
    giant ADJ NOUN
    gloomy ADJ
    graceful ADJ
    happy ADJ
    heavy ADJ
    hesitant ADJ
    lively ADJ
    long ADJ
    manly ADJ
    masculine ADJ
    musical ADJ
    normal ADJ
    old ADJ
    open ADJ
    playful ADJ
    polite ADJ
    possible ADJ
    proud ADJ
    quick ADJ
    rhythmic ADJ
    rough ADJ
    sad ADJ
    short ADJ
    small ADJ
    steady ADJ
    swaggering ADJ
    theatrical ADJ
    timid ADJ
    tired ADJ
    uneven ADJ
    unsure ADJ
    upper ADJ
    weary ADJ
    worn ADJ
    young ADJ
    youthful ADJ
    anger NOUN
    arm NOUN
    arms NOUN:arm
    blade NOUN
    body NOUN
    child NOUN
    confidence NOUN
    curve NOUN
    direction NOUN
    energy NOUN
    equipment NOUN
    feet NOUN:foot
    fist NOUN
    fists NOUN:fist
    foot NOUN
    frame NOUN
    goodbye NOUN
    ground NOUN
    greeting NOUN
    gym NOUN
    hand NOUN
    hands NOUN:hand
    head NOUN
    hello NOUN
    farewell NOUN
    human NOUN
    jungle NOUN
    leg NOUN
    line NOUN
    lot NOUN
    manner NOUN
    mood NOUN
    mouth NOUN
    music NOUN
    performer NOUN
    person NOUN
    place NOUN
    playground NOUN
    pride NOUN
    response NOUN
    routine NOUN
    row NOUN
    self NOUN
    series NOUN
    shoulders NOUN:shoulder
    side NOUN
    soap NOUN
    speed NOUN
    structure NOUN
    style NOUN
    surface NOUN
    sword NOUN
    swordplay NOUN
    terrain NOUN
    thug NOUN
    times NOUN:time
    torso NOUN
    waist NOUN
    way NOUN
    wave NOUN VERB
    waves VERB:wave NOUN:wave
    waving VERB:wave
    walk VERB NOUN
    walks VERB:walk
    walking VERB:walk
    take VERB
    takes VERB:take
    strolls VERB:stroll
    moves VERB:move
    goes VERB:go
    paces VERB:pace
    pace NOUN VERB
    run NOUN VERB
    runs VERB:run
    running VERB:run
    jog NOUN VERB
    jogs VERB:jog
    jogging VERB:jog
    breaks VERB:break
    hurries VERB:hurry
    sprint NOUN VERB
    sprints VERB:sprint
    sprinting VERB:sprint
    dash NOUN VERB
    dashes VERB:dash
    races VERB:race
    makes VERB:make
    bolts VERB:bolt
    rushes VERB:rush
    steps VERB:step NOUN:step
    backs VERB:back
    retreats VERB:retreat
    shuffles VERB:shuffle
    sidesteps VERB:sidestep
    bow NOUN VERB
    bows VERB:bow
    bowing VERB:bow
    bend VERB
    bends VERB:bend
    bending VERB:bend
    leans VERB:lean
    stands VERB:stand
    gives VERB:give
    lowers VERB:lower
    says VERB:say
    raise VERB
    raises VERB:raise
    raising VERB:raise
    lift VERB
    lifts VERB:lift
    lifting VERB:lift
    lifted VERB:lift
    points VERB:point
    pointing VERB:point
    gesture NOUN
    gestures VERB:gesture
    show VERB
    showing VERB:show
    guide VERB
    guides VERB:guide
    extends VERB:extend
    directs VERB:direct
    motions VERB:motion
    lead VERB
    indicates VERB:indicate
    puts VERB:put
    respond VERB
    responds VERB:respond
    holds VERB:hold
    held VERB:hold
    answer VERB NOUN
    answers VERB:answer
    sticks VERB:stick
    call NOUN VERB
    calls VERB:call
    calling VERB:call
    cups VERB:cup
    shouts VERB:shout
    yells VERB:yell
    punch NOUN VERB
    punches VERB:punch NOUN:punch
    punching VERB:punch
    throws VERB:throw
    strike NOUN VERB
    strikes VERB:strike NOUN:strike
    striking VERB:strike
    boxes VERB:box
    jabs VERB:jab
    hits VERB:hit
    kick NOUN VERB
    kicks VERB:kick
    kicking VERB:kick
    swings VERB:swing
    delivers VERB:deliver
    slash VERB
    slashes VERB:slash
    slashing VERB:slash
    cuts VERB:cut
    attacks VERB:attack
    dance NOUN VERB
    dances VERB:dance
    dancing VERB:dance
    performs VERB:perform
    turn NOUN VERB
    turns VERB:turn
    turning VERB:turn
    changes VERB:change
    veers VERB:veer
    greets VERB:greet
    jump NOUN VERB
    jumps VERB:jump NOUN:jump
    jumping VERB:jump
    hops VERB:hop
    leaps VERB:leap
    bounds VERB:bound
    faces VERB:face
    face NOUN
    climb NOUN VERB
    climbs VERB:climb
    climbing VERB:climb
    using VERB:use
    pulls VERB:pull
    scrambles VERB:scramble
    balance NOUN VERB
    balances VERB:balance
    balancing VERB:balance
    keeps VERB:keep
    tries VERB:try
    trying VERB:try
    lands VERB:land
    steadies VERB:steady
    regains VERB:regain
    stay VERB
    scoop VERB
    scoops VERB:scoop
    pick VERB
    picks VERB:pick
    picking VERB:pick
    rise VERB
    rises VERB:rise
    grabs VERB:grab
    reaches VERB:reach
    stoops VERB:stoop
    fights VERB:fight
    fighting VERB:fight NOUN:fighting
    fencing VERB:fence
    blocks VERB:block
    thrusts VERB:thrust
    practices VERB:practice
    duels VERB:duel
    wash VERB
    washes VERB:wash
    washing VERB:wash
    scrubs VERB:scrub
    rubs VERB:rub
    pretends VERB:pretend
    cleans VERB:clean
    treads VERB:tread
    look NOUN
    swagger NOUN
    reply NOUN
    front NOUN
    """
}
