"""IRG-MotionLLM's data engine (REFERENCE-NOTES section 9) rebuilt on this dataset's
labels. For each goal motion it picks "generated" motions that are other clips, from
unrelated to near-miss:
  level 0: another action altogether;
  level 1: the same action in another variant (direction, hand, turn);
  level 2: the same content in another style;
  level 3: the same content and style from another take or the mirror;
and writes, from both clips' labels, an assessment (what the motion shows against what
the goal asks) and a refinement instruction (what to change); the goal's own motion gets
"No refinements needed.". Prompt analyses list the goal's key elements (action,
direction, body part, manner).

Every sentence the engine writes has several phrasings; the last of each is held out
(used only for the test split's annotations), as the captions' held-out phrasings are.
The prompts, tags and plan sentences are IRG's, verbatim."""

SATISFIED = "No refinements needed."
PLANS = {  # IRG's planner templates (TextProcessor.unified_mogen_planner_templates)
    "analysis": "I need to analyze the goal and identify the critical aspects to generate the motion.",
    "generation": "I need to generate a motion according to the previous analysis.",
    "assessment": "I need to assess the alignment between the generated motion and the goal text, then provide specific refinement instructions for improvement.",
    "refinement": "I need to refine the motion according to the instruction.",
    "finish": "I need to finish thinking as the satisfactory motion is generated.",
}
DIRECT_REFINEMENT = "Please adjust the motion to better match the caption's intent."

# content -> (action, variant, body part, third-person phrase, imperative phrase)
CONTENTS = {
    "walk": ("walking", "forward", "the legs", "walks forward", "walk forward"),
    "run": ("running", "forward", "the legs", "runs forward", "run forward"),
    "dash": ("running", "forward at full speed", "the legs", "dashes forward", "dash forward at full speed"),
    "walk-back": ("walking", "backward", "the legs", "walks backward", "walk backward"),
    "walk-left": ("walking", "to the left", "the legs", "walks to the left", "walk to the left"),
    "walk-right": ("walking", "to the right", "the legs", "walks to the right", "walk to the right"),
    "walk-turn-left": ("walking", "turning left", "the legs", "walks and turns left", "walk and turn left"),
    "walk-turn-right": ("walking", "turning right", "the legs", "walks and turns right", "walk and turn right"),
    "bow": ("bowing", "downward", "the upper body", "bows", "bow"),
    "bye": ("waving goodbye", "in place", "one hand", "waves goodbye with one hand", "wave goodbye with one hand"),
    "byebye": ("waving goodbye", "in place", "both hands", "waves goodbye with both hands", "wave goodbye with both hands"),
    "guide": ("guiding", "to the side", "one arm", "gestures to show the way", "gesture to show the way"),
    "respond": ("responding", "upward", "one hand", "raises a hand to respond", "raise a hand to respond"),
    "call": ("calling out", "forward", "both hands at the mouth", "calls out to someone", "call out to someone"),
    "punch": ("punching", "forward", "the fists", "punches", "punch"),
    "kick": ("kicking", "forward", "one leg", "kicks", "kick"),
    "slash": ("slashing", "forward", "both arms", "slashes with a sword", "slash with a sword"),
    "dance-short": ("dancing", "in place", "the whole body", "dances", "dance"),
    "dance-long": ("dancing", "in place", "the whole body", "dances", "dance"),
    "wave-both-hands": ("waving", "in place", "both hands", "waves both hands", "wave both hands"),
    "wave-left-hand": ("waving", "in place", "the left hand", "waves the left hand", "wave the left hand"),
    "wave-right-hand": ("waving", "in place", "the right hand", "waves the right hand", "wave the right hand"),
    "raise-up-both-hands": ("raising the hands", "upward", "both hands", "raises both hands", "raise both hands"),
    "raise-up-left-hand": ("raising the hands", "upward", "the left hand", "raises the left hand", "raise the left hand"),
    "raise-up-right-hand": ("raising the hands", "upward", "the right hand", "raises the right hand", "raise the right hand"),
}
STYLES = {
    "normal": "in a normal way", "happy": "happily", "sad": "sadly", "angry": "angrily", "proud": "proudly",
    "not-confident": "timidly", "masculinity": "in a masculine way", "masculine": "in a masculine way",
    "feminine": "in a feminine way", "childish": "like a child", "old": "like an old person",
    "elderly": "like an elderly person", "tired": "wearily", "exhausted": "in an exhausted way",
    "active": "energetically", "musical": "rhythmically", "giant": "with heavy steps like a giant",
    "chimpira": "like a thug", "youthful": "in a youthful way",
}


def facts(content):
    """(action, variant, body part, third-person phrase, imperative) of a label; CMU's
    free-text descriptions become their own action."""
    if content in CONTENTS:
        return CONTENTS[content]
    text = content.replace("playground - ", "").replace("/", " or ").strip()
    return (text, "as described", "the whole body", f"performs: {text}", f"perform: {text}")


def manner(style):
    return STYLES.get(style, f"in a {style} way")


# Phrasings: the last of each list is held out for the test split.
ASSESS_OTHER = [
    "The motion shows a person who {shown} {shown_how}, but the goal asks for a person who {goal} {goal_how}. The action does not match.",
    "The generated motion is {shown_action}, while the goal describes {goal_action}; the action is wrong.",
    "In the motion the person {shown} {shown_how}; the goal text wants someone who {goal} {goal_how}, so the main action differs.",
    "The motion depicts {shown_action} instead of the {goal_action} the goal requires.",
]
ASSESS_VARIANT = [
    "The motion shows {shown_action} as the goal asks, but {shown_detail} instead of {goal_detail}.",
    "The action ({goal_action}) is right, but the motion uses {shown_detail} where the goal wants {goal_detail}.",
    "The person is {shown_action}, which matches the goal, yet the motion goes with {shown_detail} rather than {goal_detail}.",
    "The motion gets the action of {goal_action} right but not its detail: {shown_detail} instead of {goal_detail}.",
]
ASSESS_STYLE = [
    "The motion shows the right action, but it is performed {shown_how} while the goal asks for it {goal_how}.",
    "The action matches the goal; the manner does not: the person moves {shown_how} instead of {goal_how}.",
    "The person {goal} as required, but {shown_how} rather than {goal_how}.",
    "The content is correct, but the style differs: {shown_how} instead of {goal_how}.",
]
ASSESS_TAKE = [
    "The motion matches the goal's action and manner, with small differences in timing and pose.",
    "The motion is close to the goal: the action and the manner are right, only details of timing and posture differ.",
    "The action and manner match the goal; the pose and the rhythm differ slightly.",
    "The motion nearly matches the goal; only fine details of timing and pose are off.",
]
ASSESS_GOAL = [
    "The motion aligns well with the goal: the person {goal} {goal_how}.",
    "The motion matches the goal text: it shows a person who {goal} {goal_how}.",
    "The generated motion follows the goal closely; the person {goal} {goal_how}.",
    "The motion and the goal agree: a person {goal} {goal_how}.",
]
REFINE_OTHER = [
    "Instead of {shown_action}, {goal_imperative} {goal_how}.",
    "Replace the {shown_action} with a motion where the person {goal} {goal_how}.",
    "Change the action: {goal_imperative} {goal_how} rather than {shown_action}.",
    "Stop {shown_action} and {goal_imperative} {goal_how}.",
]
REFINE_VARIANT = [
    "Keep {goal_action}, but with {goal_detail} instead of {shown_detail}.",
    "Change {shown_detail} to {goal_detail} while {goal_action}.",
    "Use {goal_detail} rather than {shown_detail}.",
    "Switch from {shown_detail} to {goal_detail}.",
]
REFINE_STYLE = [
    "Keep the action but perform it {goal_how} instead of {shown_how}.",
    "Make the motion {goal_how} rather than {shown_how}.",
    "Change the manner: move {goal_how}, not {shown_how}.",
    "Perform the same action {goal_how} instead.",
]
REFINE_TAKE = [
    "Adjust the timing and the pose slightly to follow the goal more closely.",
    "Refine the small details of timing and posture to match the goal.",
    "Keep the motion and fine-tune its rhythm and pose toward the goal.",
    "Make small corrections to timing and pose.",
]
ANALYSIS = [
    "The key elements are: the action is {goal_action}; the direction is {direction}; the body part involved is {part}; the manner is {goal_how}.",
    "To generate this motion I should focus on the action ({goal_action}), the direction ({direction}), the body part ({part}) and the manner ({goal_how}).",
    "Critical aspects: action, {goal_action}; direction, {direction}; body part, {part}; manner, {goal_how}.",
    "The goal asks for {goal_action}, {direction}, with {part}, done {goal_how}.",
]
DETAILED = [
    "{caption} The person is {goal_action} {direction}, using {part}, {goal_how}.",
    "{caption} In detail: {goal_action}, {direction}, with {part}, {goal_how}.",
    "{caption} The motion involves {goal_action} {direction} with {part}, performed {goal_how}.",
]


def pick(phrasings, rng, held_out):
    return phrasings[-1] if held_out else rng.choice(phrasings[:-1])


def level(goal, other):
    """How close another clip is to the goal: 0 unrelated .. 3 another take (or the mirror)."""
    if other.content == goal.content:
        return 3 if other.style == goal.style else 2
    return 1 if facts(other.content)[0] == facts(goal.content)[0] else 0


def fields(goal, shown=None):
    g = facts(goal.content)
    out = dict(goal=g[3], goal_imperative=g[4], goal_action=g[0], goal_how=manner(goal.style), direction=g[1], part=g[2])
    if shown is not None:
        s = facts(shown.content)
        detail = (lambda f: f[2] if f[2] != g[2] else f[1])
        out.update(shown=s[3], shown_action=s[0], shown_how=manner(shown.style),
                   shown_detail=detail(s) if s[2] != g[2] else s[1], goal_detail=g[2] if s[2] != g[2] else g[1])
    return out


def assess(goal, shown, rng, held_out=False, is_goal=False):
    """(assessment, refinement) of `shown` as a motion generated for `goal`'s text."""
    if is_goal:
        return pick(ASSESS_GOAL, rng, held_out).format(**fields(goal)), SATISFIED
    f = fields(goal, shown)
    kind = level(goal, shown)
    assessment = pick([ASSESS_OTHER, ASSESS_VARIANT, ASSESS_STYLE, ASSESS_TAKE][kind], rng, held_out).format(**f)
    refinement = pick([REFINE_OTHER, REFINE_VARIANT, REFINE_STYLE, REFINE_TAKE][kind], rng, held_out).format(**f)
    if kind == 1 and goal.style != shown.style:
        refinement = refinement.rstrip(".") + f", and move {f['goal_how']} instead of {f['shown_how']}."
    return assessment, refinement


def analysis(goal, rng, held_out=False):
    return pick(ANALYSIS, rng, held_out).format(**fields(goal))


def detailed_caption(goal, caption, rng, held_out=False):
    return pick(DETAILED, rng, held_out).format(caption=caption.rstrip("."), **fields(goal)).replace("..", ".")


class Negatives:
    """Per goal, four other clips ordered from unrelated to near-miss (one per level when there is one)."""

    def __init__(self, pool):
        self.pool = pool
        self.by_content = {}
        for m in pool:
            self.by_content.setdefault(m.content, []).append(m)

    def of(self, goal, rng, count=4):
        by_level = {0: [], 1: [], 2: [], 3: []}
        for content, motions in self.by_content.items():
            sample = motions if content == goal.content else rng.sample(motions, min(3, len(motions)))
            for m in sample:
                if m.id != goal.id:
                    by_level[level(goal, m)].append(m)
        chosen = []
        for lv in range(4):
            if by_level[lv]:
                chosen.append(rng.choice(by_level[lv]))
        while len(chosen) < count:
            lv = max(lv for lv in range(4) if by_level[lv]) if any(by_level.values()) else None
            if lv is None:
                break
            chosen.append(rng.choice(by_level[lv]))
        return sorted(chosen, key=lambda m: level(goal, m))[:count]
