/// Caption templates for the Bandai-Namco labels (content x style) and the
/// CMU trials. `{who}` is the subject ("a person", or "an angry person"
/// when the style goes into the subject) and `{how}` the style adverb
/// phrase (empty when the style is in the subject or is "normal"). Each
/// content has at least 8 training phrasings and 2 held out for evaluation
/// only. Where a label leaves the side open (a take may use either hand),
/// the captions name no side; dataset 2's left/right labels are the
/// character's own.
public enum CaptionTemplates {
    public struct Phrasings: Sendable {
        public let train: [String]
        public let heldOut: [String]
    }

    public struct StyleWords: Sendable {
        public let adjectives: [String]
        public let adverbs: [String]
    }

    public static let contents: [String: Phrasings] = [
        "walk": Phrasings(train: [
            "{who} walks forward{how}.", "{who} takes several steps forward{how}.", "{who} walks straight ahead{how}.",
            "walking forward{how}.", "{who} strolls forward{how}.", "{who} walks in a straight line{how}.",
            "{who} is walking forward{how}.", "{who} moves forward at a walking pace{how}.",
        ], heldOut: ["{who} goes forward on foot{how}.", "{who} paces ahead{how}."]),
        "run": Phrasings(train: [
            "{who} runs forward{how}.", "{who} jogs straight ahead{how}.", "running forward{how}.",
            "{who} is running forward{how}.", "{who} runs in a straight line{how}.", "{who} takes a few running steps forward{how}.",
            "{who} jogs forward{how}.", "{who} moves forward at a running pace{how}.",
        ], heldOut: ["{who} breaks into a run{how}.", "{who} hurries forward at a jog{how}."]),
        "dash": Phrasings(train: [
            "{who} sprints forward{how}.", "{who} dashes ahead{how}.", "sprinting forward{how}.",
            "{who} runs forward very fast{how}.", "{who} is sprinting straight ahead{how}.", "{who} dashes forward at full speed{how}.",
            "{who} makes a quick sprint forward{how}.", "{who} races forward{how}.",
        ], heldOut: ["{who} bolts forward{how}.", "{who} rushes ahead as fast as possible{how}."]),
        "walk-back": Phrasings(train: [
            "{who} walks backward{how}.", "{who} takes several steps backward{how}.", "walking backward{how}.",
            "{who} is walking backward{how}.", "{who} steps back{how}.", "{who} moves backward on foot{how}.",
            "{who} walks backward in a straight line{how}.", "{who} backs away{how}.",
        ], heldOut: ["{who} retreats a few steps{how}.", "{who} goes backward on foot{how}."]),
        "walk-left": Phrasings(train: [
            "{who} walks to the left{how}.", "{who} steps sideways to the left{how}.", "walking to the left{how}.",
            "{who} is walking to the left{how}.", "{who} moves to the left on foot{how}.", "{who} walks sideways to the left{how}.",
            "{who} takes several steps to the left{how}.", "{who} sidesteps to the left{how}.",
        ], heldOut: ["{who} shuffles to the left{how}.", "{who} goes to the left on foot{how}."]),
        "walk-right": Phrasings(train: [
            "{who} walks to the right{how}.", "{who} steps sideways to the right{how}.", "walking to the right{how}.",
            "{who} is walking to the right{how}.", "{who} moves to the right on foot{how}.", "{who} walks sideways to the right{how}.",
            "{who} takes several steps to the right{how}.", "{who} sidesteps to the right{how}.",
        ], heldOut: ["{who} shuffles to the right{how}.", "{who} goes to the right on foot{how}."]),
        "bow": Phrasings(train: [
            "{who} bows{how}.", "{who} bends forward at the waist{how}.", "bowing{how}.", "{who} takes a bow{how}.",
            "{who} is bowing{how}.", "{who} bows the head and upper body{how}.", "{who} bends over in a bow{how}.",
            "{who} leans forward in a bow and stands up again{how}.",
        ], heldOut: ["{who} gives a polite bow{how}.", "{who} lowers the upper body in a bow{how}."]),
        "bye": Phrasings(train: [
            "{who} waves goodbye{how}.", "{who} waves a hand{how}.", "waving goodbye{how}.", "{who} says goodbye with a wave{how}.",
            "{who} is waving a hand{how}.", "{who} raises a hand and waves{how}.", "{who} waves one hand from side to side{how}.",
            "{who} gives a small wave{how}.",
        ], heldOut: ["{who} waves farewell with one hand{how}.", "{who} lifts a hand to wave goodbye{how}."]),
        "byebye": Phrasings(train: [
            "{who} waves goodbye with both hands{how}.", "{who} waves both hands{how}.", "waving both hands{how}.",
            "{who} waves both arms from side to side{how}.", "{who} is waving both hands{how}.", "{who} raises both hands and waves{how}.",
            "{who} says goodbye by waving both hands{how}.", "{who} waves both hands above the shoulders{how}.",
        ], heldOut: ["{who} waves farewell with both hands{how}.", "{who} lifts both hands to wave goodbye{how}."]),
        "guide": Phrasings(train: [
            "{who} points the way with a hand{how}.", "{who} gestures to show the way{how}.", "showing the way with a hand{how}.",
            "{who} guides someone with a hand gesture{how}.", "{who} is pointing to the side with an open hand{how}.",
            "{who} extends an arm to show the direction{how}.", "{who} directs someone with a hand{how}.",
            "{who} gestures toward the side with one hand{how}.",
        ], heldOut: ["{who} motions with a hand to lead the way{how}.", "{who} indicates the direction with an arm{how}."]),
        "respond": Phrasings(train: [
            "{who} raises a hand in response{how}.", "{who} puts a hand up{how}.", "raising a hand{how}.",
            "{who} lifts a hand above the head{how}.", "{who} is raising a hand to answer{how}.", "{who} responds by raising a hand{how}.",
            "{who} raises one arm up high{how}.", "{who} holds a hand up to answer a call{how}.",
        ], heldOut: ["{who} answers by lifting an arm{how}.", "{who} sticks a hand up in reply{how}."]),
        "call": Phrasings(train: [
            "{who} calls out to someone{how}.", "{who} raises both hands to the face and calls{how}.", "calling out to someone{how}.",
            "{who} cups both hands around the mouth and shouts{how}.", "{who} is calling someone{how}.",
            "{who} leans forward and calls out{how}.", "{who} shouts to someone with hands near the mouth{how}.",
            "{who} calls loudly to someone{how}.",
        ], heldOut: ["{who} yells to someone far away{how}.", "{who} holds both hands to the mouth and calls{how}."]),
        "punch": Phrasings(train: [
            "{who} punches{how}.", "{who} throws punches{how}.", "punching{how}.", "{who} punches forward{how}.",
            "{who} is punching{how}.", "{who} strikes with a fist{how}.", "{who} throws a few punches forward{how}.",
            "{who} boxes in place{how}.",
        ], heldOut: ["{who} jabs with the fists{how}.", "{who} hits forward with a fist{how}."]),
        "kick": Phrasings(train: [
            "{who} kicks{how}.", "{who} kicks forward{how}.", "kicking{how}.", "{who} kicks with one leg{how}.",
            "{who} is kicking{how}.", "{who} throws a kick{how}.", "{who} lifts a leg and kicks{how}.",
            "{who} kicks something in front{how}.",
        ], heldOut: ["{who} swings a leg in a kick{how}.", "{who} delivers a kick{how}."]),
        "slash": Phrasings(train: [
            "{who} slashes with a sword{how}.", "{who} swings a sword{how}.", "slashing with a sword{how}.",
            "{who} swings a blade with both hands{how}.", "{who} is slashing{how}.", "{who} raises a sword and slashes down{how}.",
            "{who} cuts with a sword held in both hands{how}.", "{who} makes a few sword strikes{how}.",
        ], heldOut: ["{who} attacks with a sword{how}.", "{who} swings a sword at something{how}."]),
        "dance-long": Phrasings(train: [
            "{who} dances{how}.", "{who} performs a long dance{how}.", "dancing{how}.", "{who} is dancing{how}.",
            "{who} dances and moves the arms{how}.", "{who} dances to music{how}.", "{who} dances and steps around{how}.",
            "{who} performs a dance routine{how}.",
        ], heldOut: ["{who} moves rhythmically to music{how}.", "{who} goes through a dance{how}."]),
        "dance-short": Phrasings(train: [
            "{who} dances{how}.", "{who} performs a dance{how}.", "dancing{how}.", "{who} is dancing{how}.",
            "{who} dances and moves the arms{how}.", "{who} dances to music{how}.", "{who} dances and steps around{how}.",
            "{who} performs a dance routine{how}.",
        ], heldOut: ["{who} moves rhythmically to music{how}.", "{who} goes through a dance{how}."]),
        "walk-turn-left": Phrasings(train: [
            "{who} walks forward and turns left{how}.", "{who} walks and turns to the left{how}.", "walking and turning left{how}.",
            "{who} is walking forward and turning left{how}.", "{who} walks ahead and then turns left{how}.",
            "{who} takes a left turn while walking{how}.", "{who} walks in a curve to the left{how}.",
            "{who} walks forward and changes direction to the left{how}.",
        ], heldOut: ["{who} walks and veers to the left{how}.", "{who} steps forward and turns toward the left{how}."]),
        "walk-turn-right": Phrasings(train: [
            "{who} walks forward and turns right{how}.", "{who} walks and turns to the right{how}.", "walking and turning right{how}.",
            "{who} is walking forward and turning right{how}.", "{who} walks ahead and then turns right{how}.",
            "{who} takes a right turn while walking{how}.", "{who} walks in a curve to the right{how}.",
            "{who} walks forward and changes direction to the right{how}.",
        ], heldOut: ["{who} walks and veers to the right{how}.", "{who} steps forward and turns toward the right{how}."]),
        "wave-both-hands": Phrasings(train: [
            "{who} waves both hands{how}.", "{who} waves with both hands{how}.", "waving both hands{how}.",
            "{who} is waving both hands{how}.", "{who} raises both hands and waves{how}.", "{who} waves both arms from side to side{how}.",
            "{who} waves both hands in greeting{how}.", "{who} waves hello with both hands{how}.",
        ], heldOut: ["{who} greets someone by waving both hands{how}.", "{who} lifts both hands and waves them{how}."]),
        "wave-left-hand": Phrasings(train: [
            "{who} waves the left hand{how}.", "{who} waves with the left hand{how}.", "waving the left hand{how}.",
            "{who} is waving the left hand{how}.", "{who} raises the left hand and waves{how}.",
            "{who} waves the left arm from side to side{how}.", "{who} waves hello with the left hand{how}.",
            "{who} greets someone with a wave of the left hand{how}.",
        ], heldOut: ["{who} lifts the left hand to wave{how}.", "{who} gives a wave with the left hand{how}."]),
        "wave-right-hand": Phrasings(train: [
            "{who} waves the right hand{how}.", "{who} waves with the right hand{how}.", "waving the right hand{how}.",
            "{who} is waving the right hand{how}.", "{who} raises the right hand and waves{how}.",
            "{who} waves the right arm from side to side{how}.", "{who} waves hello with the right hand{how}.",
            "{who} greets someone with a wave of the right hand{how}.",
        ], heldOut: ["{who} lifts the right hand to wave{how}.", "{who} gives a wave with the right hand{how}."]),
        "raise-up-both-hands": Phrasings(train: [
            "{who} raises both hands{how}.", "{who} lifts both arms up{how}.", "raising both hands{how}.",
            "{who} is raising both hands above the head{how}.", "{who} puts both hands up{how}.",
            "{who} raises both arms over the head{how}.", "{who} lifts both hands high{how}.",
            "{who} raises both hands and lowers them again{how}.",
        ], heldOut: ["{who} throws both arms up{how}.", "{who} holds both hands up high{how}."]),
        "raise-up-left-hand": Phrasings(train: [
            "{who} raises the left hand{how}.", "{who} lifts the left arm up{how}.", "raising the left hand{how}.",
            "{who} is raising the left hand above the head{how}.", "{who} puts the left hand up{how}.",
            "{who} raises the left arm over the head{how}.", "{who} lifts the left hand high{how}.",
            "{who} raises the left hand and lowers it again{how}.",
        ], heldOut: ["{who} throws the left arm up{how}.", "{who} holds the left hand up high{how}."]),
        "raise-up-right-hand": Phrasings(train: [
            "{who} raises the right hand{how}.", "{who} lifts the right arm up{how}.", "raising the right hand{how}.",
            "{who} is raising the right hand above the head{how}.", "{who} puts the right hand up{how}.",
            "{who} raises the right arm over the head{how}.", "{who} lifts the right hand high{how}.",
            "{who} raises the right hand and lowers it again{how}.",
        ], heldOut: ["{who} throws the right arm up{how}.", "{who} holds the right hand up high{how}."]),
    ]

    /// Bandai-Namco styles (both datasets). "normal" adds no words.
    public static let styles: [String: StyleWords] = [
        "normal": StyleWords(adjectives: [], adverbs: []),
        "happy": StyleWords(adjectives: ["happy", "cheerful"], adverbs: [" happily", " cheerfully", " in a happy mood"]),
        "sad": StyleWords(adjectives: ["sad", "gloomy"], adverbs: [" sadly", " with a sad look", " in a gloomy way"]),
        "angry": StyleWords(adjectives: ["angry", "furious"], adverbs: [" angrily", " in an angry way", " with anger"]),
        "proud": StyleWords(adjectives: ["proud", "confident"], adverbs: [" proudly", " with pride", " in a proud way"]),
        "not-confident": StyleWords(adjectives: ["timid", "unsure"], adverbs: [" timidly", " without confidence", " in a hesitant way"]),
        "masculinity": StyleWords(adjectives: ["manly", "masculine"], adverbs: [" in a masculine way", " in a manly manner", " with a masculine style"]),
        "masculine": StyleWords(adjectives: ["manly", "masculine"], adverbs: [" in a masculine way", " in a manly manner", " with a masculine style"]),
        "feminine": StyleWords(adjectives: ["graceful", "feminine"], adverbs: [" in a feminine way", " gracefully", " with a feminine style"]),
        "childish": StyleWords(adjectives: ["childish", "playful"], adverbs: [" like a child", " in a childish way", " playfully"]),
        "youthful": StyleWords(adjectives: ["young", "lively"], adverbs: [" in a youthful way", " with youthful energy", " like a young person"]),
        "old": StyleWords(adjectives: ["old", "elderly"], adverbs: [" like an old person", " slowly like an elderly person", " in an elderly way"]),
        "elderly": StyleWords(adjectives: ["elderly", "old"], adverbs: [" like an elderly person", " slowly like an old person", " in an elderly way"]),
        "tired": StyleWords(adjectives: ["tired", "weary"], adverbs: [" wearily", " in a tired way", " as if tired"]),
        "exhausted": StyleWords(adjectives: ["exhausted", "worn out"], adverbs: [" as if exhausted", " in an exhausted way", " wearily"]),
        "active": StyleWords(adjectives: ["energetic", "active"], adverbs: [" energetically", " actively", " with a lot of energy"]),
        "musical": StyleWords(adjectives: ["theatrical", "rhythmic"], adverbs: [" like a musical performer", " in a theatrical way", " rhythmically"]),
        "giant": StyleWords(adjectives: ["heavy", "giant"], adverbs: [" like a giant", " with heavy steps", " heavily like a giant"]),
        "chimpira": StyleWords(adjectives: ["cocky", "swaggering"], adverbs: [" like a thug", " with a swagger", " in a cocky way"]),
    ]

    /// Subjects without a style word, and with one ("{adj}").
    public static let subjects = ["a person", "someone", "the person", "a human"]
    public static let styledSubjects = ["a {adj} person", "the {adj} person", "a {adj} human"]

    /// CMU trials (subjects 01-03) by their database description.
    public static let cmu: [String: Phrasings] = [
        "playground - forward jumps, turn around": Phrasings(train: [
            "{who} jumps forward several times and turns around.", "{who} makes a series of forward jumps and then turns around.",
            "jumping forward and turning around.", "{who} hops forward repeatedly and turns back.",
            "{who} is jumping forward with both feet and then turns around.", "{who} jumps ahead a few times and turns around.",
            "{who} does forward jumps on a playground and turns around.", "{who} leaps forward several times and then turns.",
        ], heldOut: ["{who} bounds forward and turns around.", "{who} jumps forward in a row and faces back."]),
        "playground - climb": Phrasings(train: [
            "{who} climbs on playground equipment.", "{who} climbs up a structure.", "climbing on a playground.",
            "{who} is climbing.", "{who} climbs using hands and feet.", "{who} climbs up and over something.",
            "{who} climbs a playground frame.", "{who} pulls up with the arms and climbs.",
        ], heldOut: ["{who} scrambles up a climbing frame.", "{who} makes a climb on a jungle gym."]),
        "walk": Phrasings(train: [
            "{who} walks forward.", "{who} walks straight ahead.", "walking forward.", "{who} is walking.",
            "{who} takes several steps forward.", "{who} walks in a straight line.", "{who} strolls forward.",
            "{who} walks forward at a normal pace.",
        ], heldOut: ["{who} goes forward on foot.", "{who} paces ahead."]),
        "run/jog": Phrasings(train: [
            "{who} jogs forward.", "{who} runs forward.", "jogging forward.", "{who} is running.",
            "{who} jogs in a straight line.", "{who} runs at a steady pace.", "{who} runs straight ahead.",
            "{who} takes a few running steps.",
        ], heldOut: ["{who} breaks into a jog.", "{who} hurries forward at a jog."]),
        "jump, balance": Phrasings(train: [
            "{who} jumps and balances.", "{who} jumps and then keeps balance.", "jumping and balancing.",
            "{who} is jumping and trying to balance.", "{who} jumps up and lands carefully.", "{who} jumps and holds a balance.",
            "{who} makes a jump and steadies the body.", "{who} jumps and then balances on the feet.",
        ], heldOut: ["{who} hops and tries to stay balanced.", "{who} leaps and regains balance."]),
        "punch/strike": Phrasings(train: [
            "{who} punches and strikes.", "{who} throws punches.", "punching and striking.", "{who} is punching.",
            "{who} strikes with the fists.", "{who} punches forward several times.", "{who} throws a series of punches.",
            "{who} hits forward with the fists.",
        ], heldOut: ["{who} jabs with the fists.", "{who} boxes with several punches."]),
        "bend over, scoop up, rise, lift arm": Phrasings(train: [
            "{who} bends over, scoops something up, stands up and lifts an arm.",
            "{who} bends down to pick something up and then raises an arm.", "bending over and picking something up.",
            "{who} is bending over to scoop something up.", "{who} bends down, picks up something and rises.",
            "{who} scoops something from the ground and lifts it up.", "{who} leans down, grabs something and stands up.",
            "{who} bends over and then rises with an arm lifted.",
        ], heldOut: ["{who} stoops to pick something up and raises it.", "{who} reaches down, lifts something and stands."]),
        "swordplay": Phrasings(train: [
            "{who} fights with a sword.", "{who} swings a sword.", "sword fighting.", "{who} is fencing with a sword.",
            "{who} slashes and thrusts with a sword.", "{who} practices swordplay.", "{who} swings a sword and steps around.",
            "{who} attacks and blocks with a sword.",
        ], heldOut: ["{who} duels with a sword.", "{who} makes sword strikes."]),
        "wash self": Phrasings(train: [
            "{who} washes the body.", "{who} scrubs the arms and body.", "washing oneself.", "{who} is washing.",
            "{who} rubs the arms and torso as if washing.", "{who} washes the face and arms.", "{who} pretends to wash the body.",
            "{who} scrubs all over the body.",
        ], heldOut: ["{who} cleans the body with the hands.", "{who} rubs soap over the body."]),
        "walk on uneven terrain": Phrasings(train: [
            "{who} walks on uneven ground.", "{who} walks carefully over rough terrain.", "walking on uneven terrain.",
            "{who} is walking over bumpy ground.", "{who} steps carefully on uneven ground.", "{who} walks over rough ground.",
            "{who} walks forward on an uneven surface.", "{who} picks the way over uneven ground.",
        ], heldOut: ["{who} treads over rough terrain.", "{who} walks across bumpy ground."]),
    ]

    /// CMU descriptions that share phrasings with another (climbs with extra steps).
    public static func cmuPhrasings(for description: String) -> Phrasings? {
        if let exact = cmu[description] { return exact }
        if description.hasPrefix("playground - climb") { return cmu["playground - climb"] }
        return nil
    }
}
