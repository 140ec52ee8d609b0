package risk

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCheck covers each class of wording the screen must read, and the
// ordinary lines it must leave alone.
func TestCheck(t *testing.T) {
	s := mustDefault(t)
	tests := []struct {
		name, text string
		recent     []string
		tier       Tier   // "" for no risk
		category   string // checked when set
	}{
		{"plain intent", "i want to kill myself", nil, Urgent, Suicide},
		// Session 46: where a means is, told after hopelessness (the persona
		// trial's "yes. the rope is in the shed" after "Are you safe?" was
		// read as a yes).
		{"a rope's place after no point", "yes. the rope is in the shed", []string{"i dont see the point in anything anymore"}, Urgent, Suicide},
		{"knowing where the rope is after hopelessness", "i know where the rope is", []string{"i feel hopeless"}, Urgent, Suicide},
		// Session 46: a question asked back and answered no is a denial
		// (a concern at most), and only when the answer is a no.
		{"asked back and answered no", "Suicidal? No. Sad, yes, and skint, but no.", nil, "", ""},
		{"asked back, no chance", "End my life? No chance. I'm trying to end my tenancy!", nil, Concern, ""},
		{"asked back, not once", "Have I thought about ending my life? Not once.", nil, Concern, ""},
		{"a question then no one", "should i just kill myself? no one would care", nil, Urgent, Suicide},
		{"a question then no idea", "why do i want to die? no idea", nil, Urgent, Suicide},
		{"asked back and answered yes", "want to die? yes", nil, Urgent, Suicide},
		{"a no before the question", "No. Should I just end my life?", nil, Urgent, Suicide},
		// Session 46: "kms" as an exclamation over a mishap, with a laugh.
		{"kms over a bus, laughing", "kms the bus left 2 secs b4 i got there lol", nil, "", ""},
		{"kms after a laugh", "lmao kms i just called my lecturer mum", nil, "", ""},
		{"kms opening a clause", "burton 3-0 down at half time, kms 😂", nil, "", ""},
		{"kms with a day named", "burton 3-0 down at half time, kms 😂 anyway is the quiz still on thursday", nil, Urgent, Suicide}, // a time beside it keeps it (a second review: "kms lol planning it for friday")
		{"kms without a laugh", "kms the wifi is down again", nil, Urgent, Suicide},
		{"kms after a mishap, a laugh after it", "just spilt my whole coffee over my laptop kms 😂😂 anyway its M14 5RF", nil, "", ""},
		{"kms wanted, a laugh after it", "i wanna kms haha", nil, Urgent, Suicide},
		{"kms could, a laugh after it", "i could kms lol", nil, Urgent, Suicide},
		// Session 46's persona trial: a seizure seen to in hospital, over.
		{"a seizure taken to hospital and over", "i had a seizure at work on saturday and got taken to hospital, im ok now but my boss has let me go", nil, "", ""},
		{"a seizure now", "my son is having a seizure and it wont stop", nil, Urgent, Medical},
		{"kms wanted, laughing", "i wanna kms lol", nil, Urgent, Suicide},
		{"kms, the laugh taken back", "kms lol not even joking", nil, Urgent, Suicide},
		{"kms, not the joke one", "kms. not the joke one", nil, Urgent, Suicide},
		{"kms laughing, then wanting to die", "kms lol. i want to die honestly", nil, Urgent, Suicide},
		// Session 46: a threat said in jest, with a laugh.
		{"a mum's threat in jest", "my mum's gonna end me when she sees my hair lol", nil, "", ""},
		{"a threat in jest, laughing", "my mum would kill me if she saw this room 😂", nil, "", ""},
		{"a threat from someone unnamed, laughing", "she'd kill me if she saw this room 😂", nil, Urgent, Abuse},   // "she" may be a partner (a second review)
		{"a threat over being found out, laughing", "she'd kill me if she knew i told you 😂", nil, Urgent, Abuse}, // control is never a jest
		{"a threat with a laugh and fear", "he said he'll kill me lol im so scared", nil, Urgent, Abuse},
		{"a threat, the laugh taken back", "he'll kill me if he finds out lol. not joking", nil, Urgent, Abuse},
		{"a threat without a laugh", "he'll kill me if he finds out i texted you", nil, Urgent, Abuse},
		{"a deed with a laugh", "he strangled me lol", nil, Urgent, ""},
		{"a blow with a laugh", "he hit me again lol", nil, Urgent, Abuse},
		{"a threat to control, said as a joke", "bf keeps joking he'll end me if i talk to other lads", nil, Urgent, Abuse},
		{"a threat not joked", "he'll kill me, he's not joking this time", nil, Urgent, Abuse},
		{"a threat over money spent", "he will kill me if he finds out i spent the money on the kids", nil, Urgent, Abuse},
		{"a threat over a door left unlocked", "he said he would kill me if i forget to lock the door again", nil, Urgent, Abuse},
		{"a brother strangled in jest", "our kid's done my head in all day, gonna strangle him (jk)", nil, Urgent, ""}, // harm to others is never set aside as a jest (session 46's review: "going to strangle him in his sleep lol")
		{"a birthday forgotten", "my sister's going to murder me, I forgot her birthday again", nil, "", ""},
		// Session 46: Welsh "isio diflannu" (want to disappear) for a day
		// or a week is a break, not an end; for ever it is.
		{"Welsh, disappearing for a day", "Dwi isio diflannu i'r mynydd am ddiwrnod, oes na grwp cerdded Moel Famau?", nil, "", ""},
		{"Welsh, disappearing for a week", "Dwi 'di laru ar y tywydd 'ma, isio diflannu i rwla cynnes am wsos!", nil, "", ""},
		{"Welsh, disappearing for ever", "Dwi isio diflannu am byth", nil, Urgent, Suicide},
		// Session 43.
		// A second review (session 43): a past told as over sets aside only
		// risk in its own clause.
		{"wanting to die beside a happy past", "I want to die, I used to be happy", nil, Urgent, Suicide},
		{"pills ready beside a happy past", "i have the pills ready to end it, i used to be a happy person", nil, Urgent, Suicide},
		{"beaten yesterday beside a happy past", "my husband beat me up yesterday, we used to be happy", nil, Urgent, Abuse},
		// Session 43's persona trial: harm to someone they care for, and a plan for tonight.
		{"thoughts of hurting mum", "I've thought about hurting my mum, I'm so tired", nil, Urgent, HarmToOthers},
		{"shaking the baby", "I shook the baby", nil, Urgent, HarmToOthers},
		{"a pillow over her face", "sometimes I think about putting a pillow over her face and then myself", nil, Urgent, ""},
		{"tablets lined up for tonight", "I've got the tablets lined up and I'm going to take them tonight", nil, Urgent, Suicide},
		{"hit again last night, with a distant past word beside it", "he hit me again last night, the kids were at school, can you help with a food bank voucher", nil, Urgent, Abuse},
		{"a stopped habit with the blades out now", "Used to cut and I stopped but the urge is so strong now I've got the blades out", nil, Urgent, ""},
		// A fresh-eyes review (session 43): present risk beside a past told as over.
		{"violence now beside a past told as over", "my ex was violent years ago, I've not seen him in years, but my current partner hit me on Sunday", nil, Urgent, Abuse},
		{"cutting now beside a past told as over", "I used to self harm as a teenager, I love my job now, but since my divorce I've started cutting my arms every night", nil, Urgent, ""},
		{"an overdose yesterday after years on a good path", "I was on a good path for years after rehab but I've been using heroin again and overdosed yesterday", nil, Concern, ""},
		{"a Welsh plan alone is a plan (happy with the plan)", "Diolch yn fawr, dw i'n hapus gyda'r cynllun", nil, "", ""},
		{"a Welsh plan with tablets", "mae gen i gynllun, dw i wedi cadw'r tabledi", nil, Concern, ""},
		{"a Welsh rope still counts", "Ma'r rhaff yn y garej. Dw i 'di penderfynu.", nil, Concern, ""},
		{"helping someone write a letter in Welsh", "Allwch chi helpu fi sgwennu llythyr i'r cyngor?", nil, "", ""},
		{"letters for the children in Welsh", "Dw i wedi sgwennu llythyr i'r plant", nil, Concern, ""},
		{"a landlord who will kick me out", "Landlord's threatening to kick me out if I complain about the mould again", nil, "", ""},
		{"hit and kicked out is still abuse", "He hit me and threatened to kick me out", nil, Urgent, ""},
		{"cutting myself a fringe", "I've been cutting myself a fringe and it's gone very wrong", nil, "", ""},
		{"cutting myself a lot", "I've been cutting myself a lot", nil, Urgent, ""},
		{"reading this over my shoulder", "Fine thanks nothing wrong. He's reading this over my shoulder", nil, Concern, Abuse},
		{"out of your hair soon", "I'll be out of your hair soon", nil, Concern, Suicide},
		{"the gas on and not lit", "I haven't lit it", []string{"The gas is on"}, Urgent, Suicide},
		{"sore wrists cleaned up", "Rough night. The wrists are sore but I've cleaned them up", nil, Concern, ""},
		{"a game's character", "The game ends when your character jumps off the tower. Weird ending", nil, "", ""},
		// Session 42.
		{"a wandering found again", "Ron wandered out on Wednesday night, the police brought him back. We are managing", nil, "", ""},
		{"a wandering not found", "Dad wandered out last night and we cant find him", nil, Urgent, ""},
		{"knocking me about", "3, my husband's been knocking me about again since his meds changed", nil, Urgent, Abuse},
		{"a carer who hit the person they care for", "I lost my temper and slapped her", nil, Urgent, ""},
		{"a carer who hit their mum", "i hit my mum today, i lost it", nil, Urgent, ""},
		{"pushing a wheelchair", "I pushed my mum in her wheelchair to the park", nil, "", ""},
		{"hitting dad's car (a third review)", "I hit my dad's car reversing out of the drive", nil, "", ""},
		{"hitting mum up for a lift", "I hit my mum up for a lift", nil, "", ""},
		{"nobody has found her (a review)", "Mum has dementia, she went missing from the home at 6 and nobody has found her", nil, Urgent, ""},
		{"a Welsh goodbye alone is a goodbye", "Diolch yn fawr i chi, hwyl fawr", nil, "", ""},
		{"a Welsh goodbye for ever", "hwyl fawr am byth", nil, Urgent, Suicide},
		{"a Welsh goodbye to everyone", "Chi wedi bod yn garedig. Hwyl fawr i chi gyd", nil, Concern, Suicide},
		{"a past attempt told as over", "I tried to take my own life when I was 19. I'm 45 now and want to train as a peer supporter", nil, "", ""},
		{"a past attempt with a new wish is urgent", "I tried to take my own life when I was 19, I want to try again", nil, Urgent, Suicide},
		{"a Welsh goodbye beside a farewell", "hwyl fawr, caru chi i gyd", nil, Urgent, Suicide},
		{"a Welsh goodbye said to people", "wedi deud hwyl fawr wrth bawb", nil, Concern, Suicide},
		{"still here, for now", "I am still here though, for now", nil, Concern, Suicide},
		{"help getting away from him", "Help with getting away from him. I've nowhere to go with the baby", nil, Urgent, Abuse},
		{"a bridge kept in mind", "i keep thinking about the Erskine Bridge every time I drive to Glasgow", nil, Concern, Suicide},
		{"fighting for benefits", "Tired of fighting the DWP", nil, "", ""},
		{"fighting for benefits does not hide the rest", "im tired of fighting the council, i want it all to end", nil, Urgent, Suicide},
		{"still tired of fighting", "tired of fighting", nil, Concern, Suicide},
		{"hiding where he cannot find", "Is there somewhere I could stay for a few nights without him being able to find out where", nil, Concern, Abuse},
		{"words joined after a person", "im gonnadie", nil, Urgent, Suicide},
		{"words joined with a person inside", "im going tokillmyself", nil, Urgent, Suicide},
		// Session 41.
		{"a name is not corrected to a rule word", "most of the time in winter when the Garve road is bad", nil, "", ""},
		{"a misspelt verb typed with a capital is corrected (a second review)", "my husband Strangeld me last night", nil, Urgent, Abuse},
		{"a misspelling in capitals is still corrected", "I FEEL SUCIDAL", nil, Urgent, Suicide},
		{"a name before a place word is not corrected", "Overdale Medical Practice", nil, "", ""},
		// Session 44's persona trials: a street typed without a capital.
		{"a name before road is not corrected, even in lower case", "dunno the one on slade rd", nil, "", ""},
		{"a hello with a wave is a hello (session 44's persona trials)", "hey 👋", nil, "", ""},
		{"a goodbye with a wave is not a hello", "bye 👋", nil, Concern, Suicide},
		{"two different signs in one message are urgent", "sorted the will and said goodbye to the dog, tired of it all", nil, Urgent, Suicide},
		{"one sign alone is a concern", "sorted the will and said goodbye to the dog", nil, Concern, Suicide},
		{"a name after in is not corrected (a third review)", "hi my daughter lives in Overdale and said you could help", nil, "", ""},
		{"a name before a community word", "Overdale Community Centre", nil, "", ""},
		{"a misspelling in title case is still corrected", "I Took An Overdoze", nil, Urgent, Overdose},
		{"what I said ends at but", "i said i was fine but i am not, I want to die", nil, Urgent, Suicide},
		{"a reported question is still no statement", "the gp asked if i want to die, but no i dont", nil, "", ""},
		{"an age limit is not to be over", "do i need to be over 18", nil, "", ""},
		{"it to be over is still ending", "I just need it to be over", nil, Urgent, Suicide},
		{"routine care alone sets a symptom aside", "I get chest pains when I walk uphill, is there a walking group that goes slow?", nil, "", ""},
		{"a faint seen to", "I fainted in chapel on Sunday, they've done an ECG and I'm wearing a heart monitor. Waiting on results.", nil, "", ""},
		{"a message about a message", "Ignore my last message, autocorrect", nil, "", ""},
		{"a last message is a farewell", "this is my last message", nil, Urgent, Suicide},
		{"a chair against the bedroom door", "My grandson's staying with me and I sleep with a chair against the bedroom door now", nil, Urgent, Abuse},
		{"Welsh worry about a son is not fear", "Pump ddoe, o'n i'n poeni am y mab yn dechre coleg", nil, "", ""},
		{"Welsh hopeless at texting", "Galwad ffôn plis, fi'n anobeithiol da tecsto", nil, "", ""},
		{"Welsh control still read", "mae o n cadw fy ffôn", nil, Urgent, Abuse},
		// A review of session 41's changes: what must still fire.
		{"a farewell after thanks", "thanks very much for listening, goodbye everyone", nil, Concern, Suicide},
		{"a last message then goodbye", "see my last message. goodbye", nil, Urgent, Suicide},
		{"a medicine's name with a capital, misspelt", "took all of my Diazapam", nil, Urgent, Overdose},
		{"a stalker on a housing estate", "my ex is a stalker, he moved onto my estate", nil, Urgent, Abuse},
		{"a threat over a game", "my husband said if i go to bingo again he will kill me", nil, Urgent, Abuse},
		{"a hypo beside an appointment", "having a hypo, cant find my appointment letter", nil, Urgent, Medical},
		{"a plan after seeing to the animals", "fed the horse, now ill jump off the viaduct", nil, Urgent, Suicide},
		{"going through her messages", "he goes through loads of my messages and wont let me see my friends", nil, Urgent, Abuse},
		{"a landlord's grab", "landlord grabbed my neck and said he would evict me", nil, Urgent, Abuse},
		{"an emergency and unknown numbers", "mum is having a stroke i think, her face has dropped, i do not answer withheld numbers", nil, Urgent, Medical},
		{"farm animals that escaped", "the rams escaped again", nil, "", ""},
		{"a head injury group", "Is there a head injury group?", nil, "", ""},
		{"a head injury now", "he fell and has a head injury, bleeding a lot", nil, Urgent, Medical},
		{"not safe to drive", "I'm not safe to drive, that's all I meant, the new tablets make me drowsy", nil, "", ""},
		{"a Burns supper", "Dreading another Burns supper with the in-laws", nil, "", ""},
		{"grief like a punch", "Still getting letters addressed to him. Each one's like a punch.", nil, "", ""},
		{"a Welsh threat with no pronoun", "Peidiwch ffonio. Mae e adre. Mae'n bygwth fi os dwi'n siarad â rhywun", nil, Urgent, Abuse},
		{"not answering unknown numbers", "Text. I won't answer a number I don't know.", nil, "", ""},
		{"going through her clothes", "he goes through my clothes and my phone every night", nil, Urgent, Abuse},
		{"a deer stalker", "I'm a deer stalker on one of the estates. Looking to retrain, my back's done in", nil, "", ""},
		{"being stalked", "he is stalking me, he was outside the house again", nil, Urgent, Abuse},
		{"a landlord's eviction threat", "The landlord's threatened to throw me out on the street if I complain about the mould again. Is he allowed?", nil, "", ""},
		{"a husband's eviction threat", "my husband threatened to throw me out on the street", nil, Urgent, Abuse},
		{"die of cringe", "lowkey wanna die of cringe, my driving test was tragic lmao", nil, "", ""},
		{"a fit seen to", "I had a fit last month, first ever, scan was clear. Can't drive for six months so need help getting to work", nil, "", ""},
		{"held by the throat", "it wasn't a real fight, he just held me against the wall by my throat for a bit. I'm fine now", nil, Urgent, Abuse},
		{"a blocked nose", "cant breathe through my nose since i broke it at rugby lol, ENT appointment friday", nil, "", ""},
		{"text-speak", "honestly kms", nil, Urgent, Suicide},
		{"slang", "gonna neck myself tonight", nil, Urgent, Suicide},
		{"misspelt", "i feel sucidal", nil, Urgent, Suicide},
		{"misspelt overdose", "i took an overdoze", nil, Urgent, Overdose},
		{"stretched letters", "i want to dieeeee", nil, Urgent, Suicide},
		{"article dropped from a phrase", "gonna walk in front of train", nil, Urgent, Suicide},
		{"a reason to stay is not harm to others", "yes I'm safe, I've got my kids", nil, "", ""},
		{"own past attempt with a year, got over: still asked", "In 1974 I took an overdose after my son was born. I got help and had forty good years", nil, Concern, Suicide},
		{"a year beside a death is grief, not a past got over", "honestly tempted to go see my nan early if you get me. she died in 2019", nil, Concern, ""},
		{"a Welsh 'n is not part of an English word", "Shwmae, ma Mam-gu'n unig ers i Dad-cu farw. Oes grŵp te yn Aberaeron?", nil, "", ""},
		{"odd on alone is not overdosed on", "I feel a bit odd on these new tablets, is that normal", nil, "", ""},
		{"I odd on is overdosed on", "i odd on my tablets last night", nil, Urgent, ""},
		{"told in emoji", "🚆🚶‍♂️", nil, Concern, Suicide},
		{"a means in emoji", "🔪 again", nil, Concern, Suicide},
		{"a means named in a sentence", "Need to register my nan's death, where do I go", nil, "", ""},
		{"stopping medicine and telling nobody", "I've just stopped taking the blood thinners and told nobody", nil, Concern, Suicide},
		{"told in emoji with a word", "done 🌊🚶‍♀️", nil, Concern, Suicide},
		{"emoji in an ordinary sentence", "🚆 on the train to the group now, running a bit late", nil, "", ""},
		{"emoji with what makes it ordinary", "🌊🏄‍♂️ surf therapy?", nil, "", ""},
		{"a wave alone is a greeting", "👋", nil, "", ""},
		{"a wave and a smile are a greeting", "🙂👋🏽", nil, "", ""},
		{"a wave with a black heart", "👋🖤", nil, Concern, Suicide},
		{"a wave after other messages", "👋", []string{"everything's ready, sorted the tablets", "yes"}, Concern, Suicide},
		{"a wave with a sad face", "😔👋", nil, Concern, Suicide},
		{"two letters swapped", "i wnat to die", nil, Urgent, Suicide},
		{"words typed without spaces", "iwanttodie", nil, Urgent, Suicide},
		{"words typed without spaces, with text-speak", "honestly imgonnakillmyself tonight", nil, Urgent, Suicide},
		{"a name run together is not split into risk", "bloodstock tickets sorted", nil, "", ""},
		// Session 33: a request muted in the earlier message is not risk the model overruled there.
		// (Session 36: the retrained model no longer scores the first text high
		// enough, so a rule holds it and a message only the model reads stands in.)
		{"the model reads on after a muted request", "I used to picture myself at 50. I can't anymore", []string{"someone told me to text, my name's Jas"}, Concern, ""},
		{"cutting told as what happens every time", "Every time I get a bad letter I cut", []string{"someone told me to text, my name's Jas"}, Concern, SelfHarm},
		// Session 33: lines the retrained model stopped catching, now held by rules.
		{"not arsed living", "honestly i cant be arsed living anymore", nil, Urgent, Suicide},
		{"a flat battery and a person", "phone's on 1% and so am i. dont charge either of us", nil, Concern, Suicide},
		// Session 33: a Welsh "'na" (yna, "that") was read as na ("no"), a negation.
		{"Welsh: that man hits me, with 'na", "Ma'r dyn 'na yn fy mwrw i bob nos", nil, Urgent, Abuse},
		{"Welsh: that man hits me, with a curly ’na", "Ma'r dyn ’na yn fy mwrw i bob nos", nil, Urgent, Abuse},
		// Session 35, round 61: a medical event told as seen to is set aside
		// only with guards (see ruleset.setAside). The start build's unless list
		// muted the second case (a clinician's words in the same sentence); the
		// others it caught, and they hold the new set-aside's guards and clause
		// scope: its first version, with whole-message scope, missed them.
		{"a nurse's instruction is not a clinician's reading", "my son had a seizure, the nurse said ring if it lasts over five minutes, it's been seven", nil, Urgent, Medical},
		{"a past check does not cover pain that is back tonight", "the GP said it was indigestion last week but tonight my chest pain is back", nil, Urgent, Medical},
		{"a near past check with a sign now", "had chest pains last month, doctor said angina, now it's crushing and won't ease and I'm sweating", nil, Urgent, Medical},
		// Found by round 61's review of that first version: ordinary words of
		// a check ("pulled through", "sorted", "the doctor thinks", "turned
		// out") in one clause set aside an emergency told now in the next.
		{"recovery in one clause, a collapse now in the next", "he pulled through after his heart attack, he has collapsed in the garden", nil, Urgent, Medical},
		{"an inhaler sorted, an asthma attack now", "gp has sorted my inhaler but i am having an asthma attack", nil, Urgent, Medical},
		{"a doctor's guess, a fit now", "the doctor thinks it is a bug but my son is fitting", nil, Urgent, Medical},
		{"what turned out, then a seizure now", "turned out the tablets were wrong, he is having a seizure", nil, Urgent, Medical},
		// Session 36: a message that doubts its own safety is not a denial,
		// however it reassures ({doubt}; the start build was silent on all three).
		{"cannot promise, then fine otherwise", "i cant promise i wont hurt myself tonight, i am fine otherwise", nil, Urgent, Suicide},
		{"what cannot be promised is not a denial", "no guarantees i won't hurt myself tonight", nil, Urgent, Suicide},
		{"a promise about something else leaves a denial in its own clause", "i cant promise i wont be late, no thoughts of harming myself, just need help with the gas bill", nil, "", ""},
		{"not knowing if I can keep safe, then ok", "i dont know if i can keep myself safe tonight, i am ok just tired", nil, Urgent, Suicide},
		{"cannot stop myself cutting is not a denial", "i can't stop myself cutting, i am fine honestly", nil, Urgent, SelfHarm},
		{"a promise about something else keeps a denial", "i can't promise i'll make the group but i'm not suicidal, just skint", nil, "", ""},
		// Forms the doubt review listed as still set aside.
		{"not sure I'll make it through the night, typed without an apostrophe", "not sure ill make it through the night, im fine otherwise", nil, Urgent, Suicide},
		{"not sure I can hold off cutting", "not sure i can hold off cutting tonight, i am ok", nil, Urgent, SelfHarm},
		{"would not bet on me not hurting myself", "i wouldnt bet on me not hurting myself tonight, im fine", nil, Urgent, Suicide},
		// Defects found in session 36's round 65 (my own wording of each class).
		{"letting the sea take me", "if the sea took me tonight i would let it", nil, Urgent, Suicide},
		{"disappointed by clear results", "my results came back clear and honestly i was disappointed", nil, Urgent, Suicide},
		{"he would be fine if I was not there", "he'd be fine if i just wasn't there anymore", nil, Urgent, Suicide},
		{"Welsh: disappointed to have woken", "Dwi'n siomedig mod i 'di deffro eto heddiw", nil, Urgent, Suicide},
		{"a reported question in learner English", "the psychiatrist ask if i think about suicide. i say no, i think about my kids", nil, Concern, Suicide},
		{"sweating buckets in the heat is an idiom", "the horses hate it, I'm sweating buckets in this heat", nil, "", ""},
		{"a puzzle that beat me", "Killer sudoku beat me again today", nil, "", ""},
		// Found by round 65's review: "assume i am" as a reported question, and
		// "a one-off" as a medical event told as over, hid these.
		{"what others assume is not a reported question", "they assume i am fine but i want to kill myself", nil, Urgent, Suicide},
		{"hoping a blackout is a one-off", "my dad blacked out at dinner, hopefully it was a one-off", nil, Urgent, Medical},
		// Defects found in session 36's round 64 (my own wording of each class).
		{"words run together after text-speak for i want", "iwanttoendit tonight", nil, Urgent, Suicide},
		{"six words run together", "imgonnadoitthistime honestly", nil, Concern, Suicide},
		{"a nurse asking about suicide is not research", "the nurse asked if I ever think about suicide, I said no, I'm just tired", nil, "", ""},
		{"a child chewing a household product", "my little girl has been chewing a dishwasher tablet and she's being sick", nil, Urgent, Medical},
		{"Welsh: he reads every message", "Mae o'n darllen bob neges dwi'n gael, rhaid i mi ddileu hon", nil, Urgent, Abuse},
		{"annoyed to have woken up at all", "most mornings I'm annoyed I woke up at all", nil, Urgent, Suicide},
		// Found by round 64's review: "but not anymore", "a good life" and the like
		// read the other way round too, so they do not make a past over.
		{"a past hope, not anymore", "i used to think things would get better but not anymore, i want to die", nil, Urgent, Suicide},
		{"a good life, then a plan", "i have had a good life, once everyone is asleep i will end it", nil, Urgent, Suicide},
		{"protective words beside a negation that is not a denial", "i cant stop thinking about killing myself. i have my kids", nil, Urgent, Suicide},
		{"cannot stop thinking about it is not a denial", "i can't stop thinking about killing myself", nil, Urgent, Suicide},
		{"a past said to be better, but some nights", "when i was 15 i wanted to die, it is better now but some nights i think about it", nil, Urgent, Suicide},
		{"asking to meet away from home", "can my link worker meet me at the library instead of at home? easier that way", nil, Concern, Abuse},
		// Defects found in session 35's round 63 (my own wording of each class).
		{"a beam and a chair set under it", "there's a beam in the garage and a chair in the middle now", nil, Urgent, Suicide},
		{"a misspelt unless before self-harm", "i cant sleep unles i cut first", nil, Concern, ""},
		// Defects found in session 35's round 62 (my own wording of each class).
		{"a weight on the chest, with a contraction that looks like a possessive", "my chest feels like someone's sat on it", nil, Urgent, Medical},
		{"a seizure that is usual and over", "had a fit at the shops last week, it's normal for me, I was fine after", nil, "", ""},
		// Defects found in session 34's round 60 (my own wording of each class).
		{"oxygen saturation falling", "his sats are 84 and dropping and the oxygen's not helping", nil, Urgent, Medical},
		{"a relative controlling visitors and money", "since my niece moved in I can't have visitors or my own money", nil, Urgent, Abuse},
		{"no chemist to notice", "bought paracetamol in three towns so no chemist will notice", nil, Urgent, Suicide},
		{"a brother gone with pills", "my brother hasn't come home and he took mum's pills with him", nil, Urgent, ""},
		{"hurt to go with a hand held up", "next time he lifts his hand to me I'll put the fork through him", nil, Urgent, ""},
		{"Welsh: a stroke in the arm and speech", "Mae Taid yn siarad yn rhyfedd ac yn methu codi'i fraich", nil, Urgent, Medical},
		{"Welsh: a sheep is not a person", "Ma'r hwrdd bron 'di lladd ei hun, sownd yn y ffens eto", nil, "", ""},
		// Defects found in session 34's round 59 (my own wording of each class).
		{"a slap for answering back", "he keeps giving me a slap when I answer back", nil, Urgent, Abuse},
		{"only one of two walking away", "meeting him on Friday and only one of us is coming back", nil, Urgent, ""},
		{"pressure in the chest and sweating", "pressure in my chest and sweating", nil, Urgent, Medical},
		{"someone climbing a railing", "a lad is climbing over the railing on the footbridge, what do I do", nil, Urgent, ""},
		{"a worker told to use another name", "please put Sam from the garage as the name on your texts", nil, Concern, Abuse},
		{"a relapse counter back to zero", "90 days clean and the counter's back on 0", nil, Concern, SelfHarm},
		{"Welsh: sleeping behind a locked door", "Ma fe adre nos Sadwrn, dwi'n cysgu efo'r drws wedi cloi", nil, Urgent, Abuse},
		// Defects found in session 34's round 58 (my own wording of each class).
		{"grabbed by the throat", "he grabbed me by the throat when I got in", nil, Urgent, Abuse},
		{"a hand held on the hob", "she held my hand on the hob because the dinner was cold", nil, Urgent, Abuse},
		{"a child made to mind drugs", "they've got my nephew minding drugs in a flat and he's scared", nil, Urgent, ""},
		{"a boy threatened after school", "some lads are saying they are going to do our kid in after school", nil, Urgent, ""},
		{"chest pain into the jaw", "my chest feels like someone is sat on it and it's going into my jaw", nil, Urgent, Medical},
		{"a gorge is a high place", "going to jump from the gorge tonight", nil, Urgent, Suicide},
		{"stabbing pains are pain", "stabbing pains in my stomach since Tuesday, GP on Friday", nil, "", ""},
		// Defects found in session 34's round 57 (my own wording of each class).
		{"only the children keep me here, told as the past", "if it weren't for my boys I'd have gone by now", nil, Urgent, Suicide},
		{"a headache like a thunderclap", "sudden headache came on like a thunderclap and I've been sick", nil, Urgent, Medical},
		{"a weight parked on the chest", "my chest feels like a bus is parked on it and my arm aches", nil, Urgent, Medical},
		{"checked on every few minutes", "he texts every five minutes to check who I'm with", nil, Urgent, Abuse},
		{"injuries placed where they are not seen", "she hits me where it won't show so nobody asks", nil, Urgent, Abuse},
		{"knives that help", "the kitchen knives help when my head's bad", nil, Concern, SelfHarm},
		{"a baby left in a car", "there's a baby been left in a car on its own in the car park, screaming", nil, Urgent, ""},
		{"scarf and hook in emoji", "🧣🪝", nil, Concern, Suicide},
		{"a hung shelf", "hung myself a new shelf in the kitchen, proud of it", nil, "", ""},
		{"Welsh: nearly went in", "Bues i'n edrych ar y dŵr am orie neithiwr, bron i fi fynd miwn", nil, Urgent, Suicide},
		{"Welsh: my feet are killing me", "Ma'n nhraed i'n lladd fi ar ôl y daith gerdded", nil, "", ""},
		// Defects found in session 34's round 56 (my own wording of each class).
		{"not let out of the house", "can't make the group, he's not letting me out of the house this week", nil, Concern, Abuse},
		{"told to do what a man says", "his mate comes round when he's at work and I must do what he says or there's trouble", nil, Urgent, Abuse},
		{"a letter left to be read after", "could you pass on a letter for my worker to read after", nil, Concern, Suicide},
		{"a grandmother's farewell through others", "tell the grandkids their nana loved them", nil, Concern, Suicide},
		{"children no longer safe with him", "I can't leave the kids with him anymore, not after what he did", nil, Concern, Abuse},
		{"a child left in a car", "my neighbour leaves the baby in the car for hours while he's in the pub", nil, Urgent, ""},
		{"someone leaning over a bridge", "a man on the bridge is leaning right over the rail, what do I do", nil, Urgent, ""},
		{"a pet's tramadol taken", "not for the dog, it's for me, I've had the dog's tramadol", nil, Urgent, Overdose},
		{"hurting to get to sleep", "the only way I get to sleep is if I hurt a bit first", nil, Concern, SelfHarm},
		{"oilseed rape is a crop", "pigeons all over the oilseed rape again, out with the gun at six", nil, "", ""},
		{"Welsh: fireworks from the bridge", "Ni'n mynd i'r bont heno i weld y tân gwyllt", nil, "", ""},
		{"Welsh: a face drooping", "Mae wyneb Dad wedi mynd yn gam ac mae e'n methu siarad", nil, Urgent, Medical},
		// Defects found in session 34's round 55 (my own wording of each class).
		{"moved back in is not a distant past", "since my son moved back in I'm not allowed to look at my bank statements", nil, Urgent, Abuse},
		{"nobody would know if I were here or not", "my husband wouldn't know the difference if I was here or not", nil, Concern, Suicide},
		{"hanging on until I can join the dead", "just getting through the days till I can go and join my Bill", nil, Concern, Suicide},
		{"unalive thoughts", "having unalive thoughts most nights", nil, Urgent, Suicide},
		{"a stockpile typed as two words", "been stock piling my sleeping tablets, got 30", nil, Urgent, Suicide},
		{"late home and he goes mad", "he goes mad if I'm ten minutes late back from the shop", nil, Urgent, Abuse},
		{"staying in to avoid the row", "I don't see my sister now, it's easier than the row after", nil, Urgent, Abuse},
		{"a worker told to pose as someone else", "if you ring me say you are from the opticians please", nil, Concern, Abuse},
		{"a reminder shot to myself", "I'll shoot myself an email so I don't forget the group", nil, "", ""},
		{"Welsh: he reads everything", "Mae e'n darllen popeth ar fy ffôn i", nil, Urgent, Abuse},
		// Defects found in session 33's round 54 (my own wording of each class).
		{"too old to start again, too tired to go on", "im too old to start again and too tired to keep going", nil, Urgent, Suicide},
		{"not being around much longer, after a denial", "im not gonna do owt daft, just cant see me being around much longer", nil, Concern, Suicide},
		{"marriage to a stranger", "my parents are sending me to pakistan to marry a man i never met", nil, Urgent, Abuse},
		{"roads without barriers", "which bits of the m6 have no barriers", nil, Urgent, Suicide},
		{"surviving a winter river", "does anyone survive going in the river in january", nil, Urgent, Suicide},
		{"with a late husband by morning", "i shall be with my husband by the morning", nil, Concern, Suicide},
		{"scabs opened with a needle", "keep opening the scabs back up with a needle", nil, Urgent, SelfHarm},
		{"Welsh: the letter on the table", "Ma'r llythyr ar y ford a ma'r ci gyda Mair", nil, Concern, Suicide},
		{"Eid in emoji", "Eid Mubarak 🐑🔪 big family meal", nil, "", ""},
		{"a game in emoji", "🔫🎮 new cod tonight", nil, "", ""},
		{"could have shot myself is asked about, not blanked as an idiom", "i could have shot myself last night", nil, Urgent, Suicide},
		// Defects found in session 33's round 53 (my own wording of each class).
		{"settled in a home does not hide a decision to die", "I've decided to take my own life once mum is settled in the home", nil, Urgent, Suicide},
		{"safe today, not tomorrow", "I'm safe today. I don't know for tomorrow.", nil, Concern, Suicide},
		{"a beam looked at in the shed", "went to the garage and looked at the beam again last night", nil, Urgent, Suicide},
		{"a hook and cord that will hold", "got a heavy duty hook and some strong cord, it'll hold", nil, Urgent, Suicide},
		{"tablets put by the bed", "im not in danger, ive just put the tablets by the bed in case", nil, Concern, Suicide},
		{"taken to and from work, nowhere between", "he drops me at work and picks me up, i dont go anywhere in between", nil, Urgent, Abuse},
		{"a pet threatened with an accident", "she said the cat might have an accident if i told anyone", nil, Urgent, Abuse},
		{"a child into a parent's metformin", "my son ate some of my metformin, maybe 3 tablets", nil, Urgent, Medical},
		{"lips swelling after a nut", "ate a nut by mistake and my lips are swelling", nil, Urgent, Medical},
		{"words run together", "dontwannabehereanymore", nil, Urgent, Suicide},
		{"Welsh: hoping not to wake", "Gobeithio na wna i ddihuno bore fory, dw i wedi blino ar y cwbwl", nil, Urgent, Suicide},
		{"resus at work", "three ODs and a hanging in resus tonight, need a large glass of wine", nil, "", ""},
		{"a breath that will not come still fires after the doctor", "the doctor listened but I still can't breathe and my lips are blue", nil, Urgent, Medical},
		// Defects found in session 33's round 52 (my own wording of each class).
		{"a threat to smash a face in", "my ex came round with a hammer and said he'd smash my face in", nil, Urgent, Abuse},
		{"made to do things after saying no", "he made me do stuff i didnt want to, i said no loads of times", nil, Urgent, Abuse},
		{"promised in marriage", "my uncle says ive been promised to a man from back home", nil, Urgent, Abuse},
		{"insulin given up", "im not gonna bother with my insulin no more, whats the point", nil, Concern, Suicide},
		{"who would miss me", "kids are grown, husband wont notice, who exactly would miss me", nil, Urgent, Suicide},
		{"a sharpener taken apart", "took the sharpener apart again in science", nil, Urgent, SelfHarm},
		{"a relapse counter back to nothing", "was 200 days clean of cutting, counter back to 0 now", nil, Urgent, SelfHarm},
		{"bleeding that will not stop", "mum fell in the kitchen, her head is bleeding so much i cant stop it", nil, Urgent, Medical},
		{"a child into the dishwasher tablets", "my toddler got into the dishwasher tablets, hes drooling", nil, Urgent, Medical},
		{"wanting to die, shortened", "i wnt to di pls", nil, Urgent, Suicide},
		{"algospeak for suicide", "thinking about sewerslide tbh", nil, Urgent, Suicide},
		{"Welsh: disappointed to still be here", "Dwi'n deffro bob dydd yn siomedig mod i dal yma", nil, Concern, Suicide},
		{"a parent's accusation the nurse puts down to dementia", "mum keeps shouting that im trying to poison her, the nurse says its the dementia", nil, "", ""},
		{"a bbq in emoji", "🔪🥩🔥 bbq tonight", nil, "", ""},
		// Defects found in session 32 by a fresh-eyes review of its own additions, and in round 51.
		{"a past told as over does not hide a plan told in its own sentence", "I self harmed as a teenager, no urges for years. I'm planning to jump off the bridge tomorrow.", nil, Urgent, Suicide},
		{"a past got over does not hide a wish to die told after it", "I self harmed years ago and I'm doing well now. I want to kill myself.", nil, Urgent, Suicide},
		{"a past got over does not hide abuse told after it", "I was in care years ago, doing fine now. My partner strangled me last night.", nil, Urgent, Abuse},
		{"support got years ago does not hide a wish to die now", "I was assaulted years ago and got support. I want to kill myself.", nil, Urgent, Suicide},
		{"years since I was happy is not a past got over", "It's years since I felt happy. I want to kill myself.", nil, Urgent, Suicide},
		{"a past attempt told as over, read as ordinary, is noted, not asked (TestSetAside)", "Twenty years ago I tried to take my life. I'm a grandad now and I'd like to volunteer on a helpline.", nil, "", ""},
		{"a word's 'll is read after the table", "no1'll miss me when I'm gone", nil, Urgent, Suicide},
		{"a reliever that isn't working", "My asthma is really bad tonight, I can't breathe and my reliever isn't working.", nil, Urgent, Medical},
		{"a carer's wish to kill, with dementia named", "My dad has dementia and some nights I want to kill him, I've thought about the pillow.", nil, Urgent, ""},
		{"someone to help, and money taken", "I need someone to help me, he takes all my money and won't let me out the house.", nil, Urgent, Abuse},
		{"a mirror cut is not a literal mirror", "I cut my wrists with a bit of broken mirror last night.", nil, Urgent, SelfHarm},
		{"kms whenever alone is not an idiom", "I want to kms whenever I'm on my own.", nil, Urgent, Suicide},
		{"on the train track, waiting", "Sorry my English. Now I am on the train track behind warehouse. I wait for train. Goodbye", nil, Urgent, Suicide},
		{"a hook that takes my weight", "Got the new hook up in the garage today. Tested it. Takes my weight fine", nil, Urgent, Suicide},
		{"a joke with a laugh and once more", "If that self checkout says unexpected item once more I'll throw myself under a trolley 😂 any cheaper shops?", nil, "", ""},
		{"a stroke years ago, managing well, and a stroke club", "Had a stroke three years ago, managing well. Is there a stroke club near Salisbury?", nil, "", ""},
		// Defects found in session 32's round 50.
		{"gaming words for ending a life", "my brain keeps going alt f4 your life and its getting convincing", nil, Urgent, Suicide},
		{"unsubscribing from life", "unsubscribing from life, consider this my two weeks notice fr", nil, Urgent, Suicide},
		{"tied and about to step off", "I've tied it. Just need to step off", nil, Urgent, Suicide},
		{"walking onto the railway line", "Texting from the depot car park. Not driving home. Walking onto the line at the crossing instead", nil, Urgent, Suicide},
		{"a stranger on a bridge for ages", "Theres a lad on the bridge over the bypass, been there ages staring at the traffic", nil, Urgent, Suicide},
		{"a neighbour's bins and paper", "Bit worried, our Nan's bins never went out and Saturday's paper is still stuck in her letterbox", nil, Urgent, ""},
		{"a pet threatened over a group", "He says the cat might go missing if I keep going to that group", nil, Urgent, Abuse},
		{"a scarf to hide a strangling", "Wearing a scarf to work to cover where his hands were", nil, Urgent, Abuse},
		{"an elephant on the chest", "Chest feels like an elephants sat on it but I've got to finish my shift, can you ring me later", nil, Urgent, Medical},
		{"a stroke years ago, managing well", "Had a stroke three years ago, managing well. Is there a stroke club near Salisbury?", nil, "", ""},
		{"a parent's heart attack at a tattoo", "Me mam nearly had a heart attack when she saw my new tattoo", nil, "", ""},
		{"shoot me now over the in-laws", "The in-laws are coming, shoot me now lol", nil, "", ""},
		{"rope and twine for bean poles", "Got some old baler twine and rope from the farm if the allotment group wants it for bean poles", nil, "", ""},
		// Defects found in session 32's round 49.
		{"no plans to end my life is a denial, asked about, not a wish to die", "To be clear I have no plans to end my life. I just want someone to go through my benefit letter with me.", nil, Concern, Suicide},
		{"not sure I can keep myself safe", "dont panic but im not sure i can keep myself safe this weekend", nil, Urgent, Suicide},
		{"don't think I'm safe", "No, I'm not okay. And no, I don't think I'm safe", nil, Urgent, Suicide},
		{"a husband sorted for me abroad", "My mum and uncles are sorting a husband for me back home this summer. I said no.", nil, Urgent, Abuse},
		{"wages kept safe for me", "He's lovely really. He just prefers I don't see my friends, and he keeps my wages safe for me.", nil, Urgent, Abuse},
		{"immigration as a threat", "My boyfriend says he will call immigration and I will be sent back to Lithuania if I talk to anyone", nil, Urgent, Abuse},
		{"so someone finds me", "it's happening tonight, not asking for help, just letting you know so someone finds me", nil, Urgent, Suicide},
		{"a face and speech since lunch", "bit of a daft one, my arm's gone numb and my speech feels slurry since lunch, should I wait for my Tuesday appointment?", nil, Urgent, Medical},
		{"lips swelling after a nut", "he had a biscuit at a party and his lips are huge now and he's wheezing. his pen's at home", nil, Urgent, Medical},
		{"a stroke years ago, well managed", "I had a stroke 3 years ago, it's well managed now. Is there a stroke club nearby?", nil, "", ""},
		{"a stroke patient at work", "Still do the odd bank shift, had a stroke patient today. Can I still come to group after shifts?", nil, "", ""},
		{"deceased is laughing", "that new lad at youth club is lowkey killing me with his jokes, im deceased 💀", nil, "", ""},
		{"new blood for a club", "The bridge club lost four members this year and we need new blood. Could you advertise it?", nil, "", ""},
		// Defects found in session 32's round 48.
		{"a noun's 'll is will, not a misspelt word", "my husband'll kill me when he gets in, he said so", nil, Urgent, Abuse},
		{"a forced marriage is not a carer's help", "My family are arranging for me to marry a man from back home in the summer", nil, Urgent, Abuse},
		{"a pension taken on the day", "me son takes all me pension the day it comes in and leaves us nowt for the meter", nil, Urgent, Abuse},
		{"pinned to the wall at work", "The foreman pins me to the wall in the parlour when the others have gone home", nil, Urgent, Abuse},
		{"a toddler crying for hours alone", "There's a toddler in the flat above been crying for hours and I don't think there's anyone in with him", nil, Urgent, ""},
		{"a pet threatened to keep me quiet", "He said if I talk to anyone again he'll drown the puppy in the bath", nil, Urgent, Abuse},
		{"not being around, told as until I'm not", "I'm not living, I'm just filling in time until I'm not", nil, Concern, Suicide},
		{"pain in chest without his", "Father has very bad pain in chest and sweating too much, he is 78", nil, Urgent, Medical},
		{"scared of what I'll do", "I'm fine. Well I'm not, I'm really not, I'm scared what I'll do", nil, Urgent, Suicide},
		{"a heart attack over a price is an idiom", "My husband would have a heart attack if he saw the price of heating oil", nil, "", ""},
		{"an old stabbing, fully healed", "I was stabbed outside a club in 2015, fully healed. I'd like a self defence class for confidence", nil, "", ""},
		{"a friend's death by train is grief", "My best mate from school went in front of a train last month. Any support for young men?", nil, "", ""},
		{"rope for runner beans", "anyone at the allotment group got spare rope for tying up the runner beans?", nil, "", ""},
		{"a bridge club in emoji", "🌉🃏 bridge club tonight 😊", nil, "", ""},
		{"a seizure-free epilepsy", "Epilepsy well controlled now, no seizure in 3 years, can I still do the swimming group?", nil, "", ""},
		{"my back is killing me, in Welsh", "Ma' 'nghefn i'n lladd fi, alla i ddod i'r yoga ar gadair?", nil, "", ""},
		// Defects found in session 31 by a review of every rule's unless list: an unless entry mutes its rule.
		{"food in another clause is not what a hanging is about", "want to hang myself, been off my food for weeks", nil, Urgent, Suicide},
		{"a haircut in another clause does not mute cutting", "I have been cutting my arms again, even cut my hair off", nil, Urgent, SelfHarm},
		{"a grass is a lawn, grassed is not", "lad at sixth form said he's bringing a knife in tomorrow for the kid who grassed", nil, Concern, ""},
		{"a question asked is not a lookup reported", "Ive looked up how many paracetamol it would take, mum asked if im ok and i said no", nil, Urgent, Suicide},
		{"a question reported before a lookup", "the GP asked if I had looked up how many tablets it would take, i said no", nil, "", ""},
		{"a holiday does not mute can't go on", "I can't go on like this, not even a holiday would help", nil, Concern, Suicide},
		{"a carer after a stroke", "Ma dad's had a stroke and I'm doin all his care now. Need info on help at home", nil, "", ""},
		{"a relative's murder-me over being late", "Mum's going to murder me if I'm late for Sunday lunch again", nil, "", ""},
		{"new signs after an old stroke", "my husband has chest pain all night, he's been slurring since his stroke but now his face has dropped", nil, Urgent, Medical},
		{"self-harm stopped years ago and starting again", "i stopped cutting 3 years ago but i want to start again tonight", nil, Urgent, ""},
		{"a bath and a razor in emoji", "🛁 + 🪒 tonight", nil, Concern, Suicide},
		{"not me doing it is me doing it", "not me writing goodbye notes in my free period 💀", nil, Concern, Suicide},
		{"not lasting the winter", "can't see me lasting the winter", nil, Concern, Suicide},
		{"a pet to the rescue, for someone who will be there", "took Smudge to the rescue this morning. she needs someone who'll be there for her", nil, Concern, Suicide},
		{"pills and drink", "actually forget it, got a bottle of vodka and me mam's old tablets", nil, Concern, Suicide},
		{"a weapon brought to school", "my son says a lad is bringing a knife in tomorrow", nil, Concern, ""},
		{"a pharmacist's count at work", "pharmacist here, I've counted out about 4000 tablets today and I'm going cross-eyed", nil, "", ""},
		{"charcoal for a beach barbecue", "bought a bag of charcoal and a disposable bbq for the beach at Heacham", nil, "", ""},
		{"nowhere near is a negation", "i'm grand honestly, nowhere near wanting to die, just skint", nil, "", ""},
		{"a film in another clause does not mute", "I keep thinking about killing myself, that film last night set it off", nil, Urgent, Suicide},
		// Defects found in session 31's round 46.
		{"a mug thrown and a fall made up", "My partner lobbed a mug at me head, they glued it at A&E and I said I fell", nil, Urgent, Abuse},
		{"pinching till purple", "pinching me legs under the counter at work till they're purple", nil, Urgent, SelfHarm},
		{"thoughts of ending it", "thoughts of ending it all are constant now, worst they've ever been", nil, Concern, Suicide},
		{"tooked and pain killas", "i tooked all my pain killas", nil, Urgent, Overdose},
		{"self deleting is algospeak", "self deleting this weekend", nil, Urgent, Suicide},
		{"stood on the edge, nearly went", "stood right on the edge for ages. nearly went", nil, Urgent, Suicide},
		{"a tight chest with a cold, treated", "Chest's been tight with this cold, got antibiotics now", nil, "", ""},
		{"a rope for a tug of war", "got the rope out for the tug of war at the church fun day", nil, "", ""},
		// Defects found in session 31's round 47.
		{"every pill out on the table", "That's it now. Every pill in the house is out on the kitchen table", nil, Urgent, Suicide},
		{"a broken finger and a story for the hospital", "He broke my finger bending it back. Told the hospital I shut it in the door", nil, Urgent, Abuse},
		{"warfarin twice and a long nosebleed", "Think I've taken my warfarin twice and I've had a nosebleed for an hour", nil, Urgent, Medical},
		{"tablets given as a reward", "She gives me my tablets when she's happy with me", nil, Urgent, Abuse},
		{"the forever sleep", "about to go to the forever sleep lol", nil, Concern, Suicide},
		{"ligature training at work", "we did ligature awareness at work today, heavy but useful", nil, "", ""},
		{"the weather is killing me, in Welsh", "ma'r tywydd yn lladd fi heddi, mor dwym", nil, "", ""},
		// Defects found in session 30 by a review of every idiom: an idiom is blanked before any rule reads.
		{"can't go on is not going on a trip", "i cant go on it hurts too much", nil, Concern, Suicide},
		{"carry on with life", "I can't carry on with life", nil, Concern, Suicide},
		{"not waking up at all", "don't want to wake up at all", nil, Urgent, Suicide},
		{"about to die, after a phone", "my phone is on 2% and I'm about to die", nil, Urgent, Suicide},
		{"a grandson's blow is not an idiom", "my grandson hit me hard last night", nil, Urgent, Abuse},
		{"a baby threatened is not killing it at work", "if this baby doesn't stop crying I'm gonna kill it", nil, Urgent, ""},
		{"thrown into a river, not into work", "I'm going to throw myself into the river", nil, Urgent, Suicide},
		{"thrown into work", "throwing myself into the garden this spring", nil, "", ""},
		{"an inhaler to hand, and turning blue", "got the inhaler but he's turning blue", nil, Urgent, Medical},
		{"an exam that nearly killed me", "The exam nearly killed me but I passed!! So happy", nil, "", ""},
		{"a grandson is a person before an idiom", "my grandson nearly killed me last night", nil, Urgent, Abuse},
		{"having a fit about the mess", "she's having a fit about the mess", nil, "", ""},
		{"having a fit for ten minutes", "she's having a fit about 10 minutes now", nil, Urgent, Medical},
		// Defects found in session 30's round 44, and by a review of every concept named in an unless list.
		{"hours since an overdose are not a literal use", "took all my sertraline a couple of hours ago", nil, Urgent, Overdose},
		{"a nurse who has overdosed", "I'm a nurse and I've taken 40 of my sertraline", nil, Urgent, Overdose},
		{"smoke is not laughter", "dad's collapsed, I can smell smoke", nil, Urgent, Medical},
		{"after his nights out is not the distant past", "he strangles me after his nights out", nil, Urgent, Abuse},
		{"a rope set up is not a knife set", "I've got the rope set up in the loft", nil, Urgent, Suicide},
		{"nobody comes to visit is not a grave visit", "nobody comes to visit, I've got my tablets saved to end it", nil, Urgent, Suicide},
		{"a police officer who threatens", "my ex is a police officer and he's threatening to kill me", nil, Urgent, Abuse},
		{"CPR being done is not a CPR course", "one of the bowls members has collapsed on the green, someone's doing CPR", nil, Urgent, Medical},
		{"a mental health nurse at work", "Nurse on a mental health ward, two ligatures today. I'm fine, just need a hobby outside work", nil, "", ""},
		{"the iron already hot", "the iron was already hot so", nil, Concern, SelfHarm},
		// Defects found in session 30's round 43: broad members of concepts named in unless lists.
		{"an interpreter is not a work frame for a collapse", "I am interpreter for deafblind lady, she has just collapsed in our session. She does not respond to touch", nil, Urgent, Medical},
		{"a phone in the evenings is not phoning in sick", "sorry I missed the call, I'm not allowed my phone in the evenings", nil, Urgent, Abuse},
		{"so cooked is slang, not cooking", "im so cooked fr, been stocking up the meds, no cap", nil, Urgent, Suicide},
		{"gone a bit funny is not laughter", "Hubby's gone a bit funny, talking nonsense and his arm won't lift. Probably just tired?", nil, Urgent, Medical},
		{"a wife who won't allow it", "I cant do the walking group, my wife wont allow it. she says i'm only going to meet someone", nil, Urgent, Abuse},
		{"a shotgun licence held for years is ordinary", "my dad wants to join the shooting club, he's had his shotgun licence years", nil, "", ""},
		{"letters to a late husband", "Writing letters to my late husband helps. The grief counsellor suggested it", nil, "", ""},
		{"going as a coffin for Halloween", "Halloween at the pub, I'm going as a coffin ⚰️😂", nil, "", ""},
		// Defects found in session 30's round 42.
		{"to die for is an idiom only after is or looks", "I want to die for real", nil, Urgent, Suicide},
		{"to die for said of a cake", "the bakewells at the cafe are to die for", nil, "", ""},
		{"rather be dead than live like this is not hyperbole", "rather be dead than live like this", nil, Urgent, Suicide},
		{"rather die than wear it is", "I'd rather die than wear that dress lol", nil, "", ""},
		{"end it with pills is not ending it with him", "i want to end it with pills tonight", nil, Urgent, Suicide},
		{"an accident word does not mute a threat", "he says if i tell anyone at the surgery what goes on at home hell finish me", nil, Urgent, Abuse},
		{"want to and a skull", "i just want to 💀 fr", nil, Urgent, Suicide},
		{"a face gone down on one side, in Welsh", "Mam-gu wedi cwmpo a ffaelu siarad yn iawn, ma un ochr o'i gwyneb hi wedi mynd lawr", nil, Urgent, Medical},
		{"seizures well controlled", "my sons seizures are well controlled on his meds now, is there an epilepsy social group", nil, "", ""},
		// Defects found in session 30's round 41.
		{"an asthma attack is not an asthma review", "having an asthma attack and me inhaler's empty", nil, Urgent, Medical},
		{"an arm gone funny is a sign, not a laugh", "my husband's slurring and his arm's gone funny but he says he's just tired and not to fuss", nil, Urgent, Medical},
		{"a tight chest from the cold, helped by the inhaler", "chest's a bit tight from the cold but the inhaler sorts it", nil, "", ""},
		{"a helicopter ditching, not minded", "just so you know I wont be fussed if the chopper ditches on the way out", nil, Concern, Suicide},
		{"the tracks as the answer", "some days the tracks look like the answer", nil, Concern, Suicide},
		{"a pet's care ending tonight", "Whats the number for the cat rescue. need someone to take Bella. I won't be able to look after her after tonight", nil, Concern, Suicide},
		{"the service hidden from him", "If he answers can the link worker say it's the doctor's?", nil, Concern, Abuse},
		{"half of me died is grief", "lost my twin, feels like half of me died too, but im seeing a counsellor and getting through", nil, "", ""},
		{"blades for the mower", "Picking up new blades for the mower Wednesday", nil, "", ""},
		{"a hypo asked about, not had", "Does the walking group know what to do if I have a hypo? I carry jelly babies", nil, "", ""},
		// Defects found in session 30, from the misses left in round 40's sets.
		{"no point does not deny what follows it", "no point 😞⚰️", nil, Concern, Suicide},
		{"talking funny is a stroke sign, not a laugh", "Mum's talking funny and her arm won't lift. she says she's just tired", nil, Urgent, Medical},
		{"thought it was behind me says it is back", "Attempted twice in my twenties. Thought it was all behind me. It isn't", nil, Concern, Suicide},
		{"checking out, told and left", "I'm checking out. Just wanted somebody to know", nil, Concern, Suicide},
		{"checking out of a hotel", "I'm checking out the new walking group on Saturday", nil, "", ""},
		{"clothes chosen by what he would like", "Better not wear the red dress to the social, he'd not like that", nil, Urgent, Abuse},
		{"who's is who is, and funny about who texts", "can ye no text after 6. he gets funny aboot who's textin me", nil, Urgent, Abuse},
		{"Welsh: they would be fine without me", "Fe fydden nhw'n iawn hebddo i. Gwell, siŵr o fod", nil, Concern, Suicide},
		// Defects found in session 25's rounds.
		{"out of hospital is not a resolution, and last week is not the distant past", "Took an overdose last week, got out of hospital Tuesday. Feel exactly the same as before", nil, Urgent, Overdose},
		{"a battery swallowed is not a literal battery", "my toddler swallowed a button battery", nil, Urgent, Medical},
		// Defects found in session 29's round 40: "never" counted as a reason given with a denial.
		{"never before, but now", "Never wanted to die before but I do now", nil, Concern, Suicide},
		{"never wanting another morning is not a denial", "I never want to see another morning", nil, Concern, Suicide},
		{"never hits where it shows", "he never hits me where it shows. so it's not really abuse is it", nil, Concern, ""},
		{"a denial with a reason is still set aside", "never been suicidal, just low and skint", nil, "", ""},
		// Defects found in session 29's round 39.
		{"a means got now is asked about though the self-harm is told as over", "I used to burn myself. Haven't for 3 yrs. Bought a lighter today and I don't even smoke", nil, Concern, SelfHarm},
		{"never ... this much is not a denial", "never wanted to die this much in my life", nil, Urgent, Suicide},
		{"own self-harm long over, told as over, is not asked about", "I used to self harm as a teenager, I'm 34 now and doing well, just need help with work stuff", nil, "", ""},
		{"not knowing if safe with myself", "I don't know if I'm safe with myself tonight", nil, Urgent, Suicide},
		{"rope for runner beans", "Bought some rope to tie up the runner beans on the allotment", nil, "", ""},
		{"wanting life to get better is not wanting it to end", "I don't want to die, I want my life to get better", nil, Concern, Suicide},
		// Defects found in session 29's round 38.
		{"aren't is are not", "Bit of a funny turn, my arm's gone numb and the words aren't coming out right", nil, Urgent, Medical},
		{"other people not around is not about the texter", "Most of my old friends aren't around anymore. I'd like to find people my own age who get it.", nil, "", ""},
		{"not allowed, with no one named", "Sorry I missed group. Wasn't allowed", nil, Concern, Abuse},
		{"not sure to be around", "Not sure I'll be around to fill in next month's survey", nil, Concern, Suicide},
		{"a burden told as a weight round a neck", "I'm just a weight round our Karen's neck, she'd have a better life if I weren't about", nil, Urgent, Suicide},
		{"rope for hanging baskets", "Bought a length of rope and a hook for the hanging baskets", nil, "", ""},
		{"a bridge inspector at work", "I'm on the bridge inspection team for the council, can you call after 5?", nil, "", ""},
		{"Welsh: a broken arm playing rugby is not self-harm", "Dwi wedi torri fy mraich yn chwarae rygbi, felly methu dod i'r grŵp garddio", nil, "", ""},
		// Defects found in session 26's round.
		{"a context rule's unless holds in the message it reads", "for the tug of war at the fete saturday", []string{"got the rope ready"}, "", ""},
		{"a context rule without its unless words still fires", "saturday is the day", []string{"got the rope ready"}, Urgent, Suicide},
		{"a ward is where people are, and an attempt last week is not the distant past", "just got out of the ward, tried to kill myself last week", nil, Urgent, Suicide},
		{"grief words do not set aside risk said plainly", "since my wife passed away i want to die", nil, Urgent, Suicide},
		{"work words do not set aside an overdose said plainly", "i took 30 tablets, i volunteer at the hospice", nil, Urgent, Overdose},
		{"work words do not set aside a plan said plainly", "i work at the pharmacy, ive been saving my tablets to take them all", nil, Urgent, Suicide},
		{"a patient's words reported are not said plainly (at most a concern)", "one of my patients said i want to die today, it stayed with me", nil, Concern, ""},
		{"a walk into the sea written as said", "been thinkin aboot walkin intae the sea", nil, Urgent, Suicide},
		{"Scots spelling is read as English", "am that tired ae bein alive", nil, Urgent, Suicide},
		{"a known word ending in -in is left alone", "my cousin is at the cabin in the garden", nil, "", ""},
		{"a low sugar reading with a sign is a hypo (sugar is a literal use elsewhere)", "sugar is low and I cant stand up", nil, Urgent, Medical},
		{"a decimal reading is one word, not two sentences", "sugar 1.8 cant stand up", nil, Urgent, Medical},
		{"a low reading already treated is not an emergency", "Me sugar was 3.8 this morning, had a glass of juice and a biscuit, it's 6.2 now", nil, "", ""},
		{"cutting down on sugar is still literal", "trying to cut down on sugar, any groups for that", nil, "", ""},
		// Round 74: pregnancy signs (nhs-pregnancy) and a hypo after insulin.
		{"a headache and swelling at 20 weeks", "I'm 20 weeks and I've had a bad headache all day and my feet are massive", nil, Urgent, Medical},
		{"a baby not moving", "im 30 weeks pregnant and i havent felt the baby move all day", nil, Urgent, Medical},
		{"waters gone early, told of a daughter", "my daughter is 30 weeks pregnant and her waters have gone", nil, Urgent, Medical},
		{"a headache with swelling in pregnancy", "I'm 20 weeks, bad headache all day and my feet are massive", nil, Urgent, Medical},
		{"bleeding talked about at a scan is not a sign", "my daughter is pregnant, she went to her scan yesterday and had a long chat with the midwife about bleeding after the birth", nil, "", ""},
		{"a past pregnancy told as over", "when I was pregnant with Jack I had a bleed, all fine", nil, "", ""},
		{"spending written down for him to check", "I have to write down everything I spend for him to check", nil, Concern, Abuse},
		{"a group given up for a jealous reason", "he said people were talking about me so I stopped going to choir", nil, Concern, Abuse},
		{"the gym given up for a jealous reason", "I stopped going to the gym because he says I only go to meet men", nil, Concern, Abuse},
		{"a group given up for an ordinary reason", "she said the class was full so I stopped going", nil, "", ""},
		{"'endit' is 'end it'", "wantto endit tonihgt", nil, Urgent, Suicide},
		// A review of round 74's rules: ordinary messages they had flagged.
		{"a cataract wait is not a pregnancy", "I'm 10 weeks on the waiting list for my cataract op and my vision is going, can't read anymore, any talking book groups", nil, "", ""},
		{"bleeding gums in pregnancy", "pregnant and bleeding gums, any dentist that takes NHS patients", nil, "", ""},
		// Never urgent; since round 90's retrain the model asks about it
		// (flashing lights in pregnancy are a sign to get checked, migraines
		// or not), so a concern is allowed (see TestMigraineInPregnancy).
		{"in the labour ward already", "my daughter is 30 weeks pregnant, her waters have gone and she's in the labour ward now, I need someone to have her kids", nil, "", ""},
		{"a sign now beside a past pregnancy", "Im 31 weeks pregnant and baby hasnt moved all day, last pregnancy was fine so hopefully nothing", nil, Urgent, Medical},
		{"not eating much on insulin is not a hypo", "I do my insulin and don't eat much at night, sweating a lot with the menopause", nil, "", ""},
		{"a mother's sulks are not a partner's control", "mum sulks if I text anyone while I'm visiting her in the home", nil, "", ""},
		{"pills saved (session 45's persona trial)", "yes im safe. i have pills saved though", nil, Urgent, Suicide},
		{"pills that saved a life", "those pills saved my life", nil, "", ""},
		// Session 45's persona trial.
		{"a parent on the floor who cannot be lifted", "carer here, my dad keeps falling and I can't lift him, he's on the floor now", nil, Urgent, Medical},
		{"tiles on the floor are not a person", "I can't lift the tiles on the floor", nil, "", ""},
		{"no point, said last", "its 2am and im just sat here. been drinking. dont really see the point", nil, Concern, Suicide},
		{"afraid of losing it with the baby", "im scared i'll lose it with the baby", nil, Urgent, HarmToOthers},
		{"he will hear a call", "only text me pls he will hear if u ring", nil, Concern, Abuse},
		// A second review: near misses of those rules, and what they missed.
		{"boxes on the floor", "the boxes are all on the floor since the move and I can't lift them with my back, any help", nil, "", ""},
		{"a fall in march", "my husband had a fall in march, he was on the floor and I couldnt lift him, we need a hoist assessment", nil, "", ""},
		{"a prescription saved on an app", "I have my prescription saved on the NHS app but cant work out how to reorder", nil, "", ""},
		{"losing it with a school", "I'm scared I'll lose it with my son's school over his EHCP", nil, "", ""},
		{"losing it with the baby, as texted", "im scared ill lose it with the baby", nil, Urgent, HarmToOthers},
		{"waters gone, told with the weeks", "im 36 weeks, waters have gone", nil, Urgent, Medical},
		{"less movement in pregnancy", "pregnant and theres less movement than usual", nil, Urgent, Medical},
		// A third review.
		{"a fall in the bathroom, on the floor now", "my dad has had a fall in the bathroom, he's on the floor and I can't lift him", nil, Urgent, Medical},
		{"couldn't lift", "dad is on the floor and I couldn't lift him", nil, Urgent, Medical},
		{"reduced movements", "im 28 weeks pregnant, reduced movements since this morning", nil, Urgent, Medical},
		{"weeks and waters, tersely", "36 weeks, waters gone", nil, Urgent, Medical},
		{"weeks into a programme are not a pregnancy", "i'm 12 weeks into the programme and there's less movement in my knee", nil, "", ""},
		{"tablets saved on the app", "I have my tablets saved as a repeat on the app", nil, "", ""},
		{"losing it with a two-year-old", "im scared i will lose it with my daughter, she's only 2", nil, Urgent, HarmToOthers},
		{"a partner's anger at talking to others, told far from him", "my boyfriend collects me from college and goes off on one if i speak to other men", nil, Concern, Abuse},
		{"insulin, no food and shaking", "Feeling very strange, did my insulin but forgot to eat, hands are shaking", nil, Urgent, Medical},
		{"a denial of ending one's life is not read as not wanting to live", "No, I'm not thinking of ending my life. Thinking of ending my tenancy.", nil, Concern, Suicide},
		{"a helper's work words do not hide their own risk", "i'm a social worker, i spend all day keeping other people safe and now i'm the one thinking about suicide", nil, Urgent, Suicide},
		{"a girl taken abroad to be cut", "my sister in law is taking her girls to egypt in the summer to be cut. they are 7 and 9", nil, Urgent, Abuse},
		{"courier fraud happening now", "my mum keeps getting calls from the bank and shes going to meet a courier with her cash this afternoon", nil, Concern, HarmToOthers},
		{"no point living in Welsh", "Sa i'n gweld pwynt byw heb Gareth", nil, Urgent, Suicide},
		{"mate crime: 'friends' who take a disabled person's money", "the people i met at the day centre say they are my friends but every week they make me go to the cashpoint and give them my money", nil, Urgent, Abuse},
		{"a swollen tongue and tight throat after a new medicine", "came out in a rash after the new antibiotic and now my tongue feels fat and my throats tight", nil, Urgent, Medical},
		{"Welsh 'fel' (like) is not English 'feel'", "fi 'di bod yn sâl fel ci drwy'r nos, bwyd drwg o'r sioe", nil, "", ""},
		{"a carer who is the only help accepted is not a burden", "Dad's got Parkinson's and won't accept help from anyone but me", nil, "", ""},
		{"a hand at the throat is not 'never hit me'", "hes never actually hit me. he just grabs my throat when hes angry", nil, Urgent, Abuse},
		{"cannot pass water with unbearable pain", "cant pass water at all since this morning and the pain is unbearable, had prostate surgery last month", nil, Urgent, Medical},
		{"a Welsh bridge at night for the fireworks", "dwi'n mynd i'r bont heno i weld y tan gwyllt", nil, "", ""},
		{"a Welsh message with few marker words is read as Welsh", "Sa i'n credu bydda i 'ma dydd Llun", nil, Concern, Suicide},
		{"another's jump long ago is the past", "Dad's mate jumped in front of a train at Doncaster years ago. Dad never really got over it but he's alright", nil, "", ""},
		{"passive", "im so tired of being alive", nil, Urgent, Suicide},
		{"sleep forever", "i wish i could fall asleep for ever", nil, Urgent, Suicide},
		{"negated but still risk", "I'm not going to be here much longer", nil, Urgent, Suicide},
		{"denial naming suicide", "I'm not suicidal", nil, Concern, Suicide},
		{"negation over a list joined by or", "I am not having thoughts of suicide or self-harm", nil, Concern, ""},
		{"an or that offers a choice is not a denied list", "not sure if I want to live or kill myself tonight", nil, Urgent, Suicide},
		{"a choice after whether", "I don't know whether to carry on or kill myself", nil, Urgent, Suicide},
		{"across messages: a new urgent finding after a negated one", "myself", []string{"I told them I won't kill myself. but honestly I want to kill"}, Urgent, Suicide},
		{"across messages: $ is the end of the message, not of the joined words", "how. I did a first aid course at work last year and it was great", []string{"honestly I know"}, "", ""},
		{"hopeless", "I don't see a future for me", nil, Concern, Suicide},
		{"stockpiling", "I've been saving up my sertraline for a while", nil, Urgent, Suicide},
		{"research", "I googled how high the viaduct is", nil, Urgent, Suicide},
		{"letters", "I've written goodbye letters for the kids", nil, Urgent, Suicide},
		{"own funeral", "I've picked the songs for my funeral", nil, Concern, Suicide},
		{"farewell", "sorry for everything, look after mum for me", nil, Urgent, Suicide},
		{"cancelled, no point", "cancelled my dentist next week because there's no point now", nil, Concern, Suicide},
		{"self-harm without myself", "I burnt my arm with a lighter again", nil, Urgent, SelfHarm},
		{"head banging", "I banged my head on the wall till it bled", nil, Urgent, SelfHarm},
		{"new marks", "new marks on my legs again", nil, Urgent, SelfHarm},
		{"word forms", "he strangled me last night", nil, Urgent, Abuse},
		{"word forms -ing", "he keeps strangling me", nil, Urgent, Abuse},
		{"coercive control", "he won't let me see my friends", nil, Urgent, Abuse},
		{"coercive money", "my husband won't let me have a bank card", nil, Urgent, Abuse},
		{"clothes", "he chooses what clothes I wear", nil, Urgent, Abuse},
		{"followed", "someone keeps following me home", nil, Urgent, Abuse},
		{"fear of return", "I'm scared of what happens when he gets home", nil, Urgent, Abuse},
		{"third party suicide", "my partner says he'd be better off dead", nil, Urgent, ""},
		{"third party harm", "my daughter has fresh cuts on her arms", nil, Urgent, SelfHarm},
		{"neighbour", "my neighbour is beating his wife", nil, Urgent, ""},
		{"medical", "my dad has collapsed and isn't breathing", nil, Urgent, Medical},
		{"emoji", "🔪🩸", nil, Urgent, ""},
		{"emoji words", "i want to 🪢 myself", nil, Urgent, Suicide},
		{"across messages", "myself", []string{"i want to kill"}, Urgent, Suicide},
		{"context", "tonight", []string{"I've been saving up my tablets"}, Urgent, Suicide},
		{"welsh", "dw i isio marw", nil, Urgent, Suicide},
		{"welsh mutation", "mae o wedi fy nharo i eto", nil, Urgent, Abuse},
		{"welsh dropped fy", "mae o'n nharo i", nil, Urgent, Abuse},
		{"welsh self harm", "dwi wedi torri fy hun eto", nil, Urgent, SelfHarm},
		{"idiom after a person", "he is killing me", nil, Urgent, Abuse},
		{"welsh dwi'm is not dwi fy", "Dwi'm isio byw ddim mwy", nil, Urgent, Suicide},
		{"welsh marked by short forms only", "Dw i'n teimlo'n hunanladdol", nil, Urgent, Suicide},
		{"welsh pain does not hide risk", "dwi isio marw, mae gen i gymaint o boen", nil, Urgent, Suicide},
		{"welsh not safe at home", "Dwi'm yn saff adra", nil, Urgent, Abuse},
		{"bare denial still asked", "I'm not going to hurt myself", nil, Concern, ""},
		{"denial with more risk", "I'm not suicidal, I just want it all to stop", nil, Urgent, Suicide},
		{"own past, happening again", "I survived an attempt when I was 19 and it feels like that again", nil, Concern, ""},
		{"job is not a course", "I've been having suicidal thoughts since I lost my job", nil, Urgent, Suicide},
		{"place chosen", "I've picked the spot up on the moors", nil, Concern, Suicide},
		{"moment alone", "Sunday is when I'm going to do it, everyone's away", nil, Urgent, Suicide},
		{"means prepared", "Been up the woods looking for a branch strong enough", nil, Urgent, Suicide},
		{"hidden contact", "I can only text when he's in the shower", nil, Concern, Abuse},
		{"vulnerable missing", "dad has dementia and he's gone missing in the snow", nil, Urgent, ""},
		{"reported question, far back", "The doctor asked if I had thought about ending my life and I said no, that's true, I'm just low", nil, "", ""},
		{"gone by then is not a resolved past", "Thanks for everything. I'll be long gone by then", nil, Urgent, Suicide},
		{"wanna dye", "i wanna dye", nil, Concern, Suicide},
		{"hair dye", "i wanna dye my hair pink", nil, "", ""},
		{"no as an answer", "No I'm not safe at home", nil, Urgent, Abuse},
		{"not trusting yourself", "Never felt this low. Don't trust myself on my own tonight", nil, Urgent, Suicide},
		// Round 31 (dev52-55): a denial that hedges, a beating excused, a
		// prayer to be taken, a past attempt that still hurts; a knife for
		// lambing and a brother's past put right.
		{"denial, then not being here", "no I'm not suicidal, I'm just not planning on being here much longer", nil, Concern, Suicide},
		{"beating excused", "I'm not in danger. He only hits when I deserve it", nil, Urgent, Abuse},
		{"asking God to take me", "I pray every night for God to take me. He never listens.", nil, Urgent, Suicide},
		{"past attempt, still hard", "I tried to kill myself 2 years ago, took an overdose. doing better now but winters are hard", nil, Urgent, Suicide},
		{"knife for lambing", "Lambing's started so I'm up all night with a knife and a head torch, sorry for not replying", nil, "", ""},
		// Round 32 (dev56-59): the texter's own past attempt is asked about
		// however well they are now; a message reads the same whether or
		// not the person has texted before (an earlier sentence of it is
		// not an earlier message).
		{"own past attempt, told as over", "I took an overdose as a teenager, I'm 50 now and in a good place", nil, Concern, Suicide},
		{"other's past attempt, told as over", "me dad tried to end it years ago, he's doing well now and we go fishing", nil, "", ""},
		{"second message, two sentences", "Picked up my methadone at the chemist, same dose, all good. Can we move Thursday's appt?", []string{"hiya"}, "", ""},
		{"visiting the dead", "she died in 2018", []string{"I'm going to see my mum tonight"}, Concern, Suicide},
		// Rounds 33 and 34 (dev60-67): self-harm months ago is still asked
		// about; a reason to go on lost; a dog's overdose is the vet's.
		{"own past self-harm, months clean", "6 months since i last cut. proud of meself", nil, Concern, SelfHarm},
		{"the only reason, gone", "she was the only reason I was still going", []string{"The dog died friday"}, Concern, Suicide},
		{"tide tables and a quiet night", "Been studying the tide tables for the Ness. Just need a quiet night with no anglers about", nil, Concern, Suicide},
		{"the dog's paracetamol", "The dog ate a packet of paracetamol, vet says he'll be fine", nil, "", ""},
		{"the boss's idiom", "my boss is gonna kill me, I overslept by 3 hours", nil, "", ""},
		// Round 35 (dev68-71).
		{"into the river tonight", "Putting myself in the Severn tonight. never could swim", nil, Urgent, Suicide},
		{"a knife for the cake", "sharpened the knife for the cake at mam's 80th", nil, "", ""},
		// Round 36 (dev72-75).
		{"hits where nobody sees", "she never hits me where people can see", nil, Urgent, Abuse},
		{"thought about how", "I wouldn't kill myself, I'd never do that to my mum. but I've thought about how", nil, Urgent, Suicide},
		{"a rope for the canoe", "need some rope to tie the canoe on the roof for the ribble trip saturday", nil, "", ""},
		// Round 37 (dev76-79).
		{"not dead yet", "I'm not living. I'm just not dead yet", nil, Urgent, Suicide},
		{"a rope for the owl box", "Got a rope and a ladder for putting the barn owl box up", nil, "", ""},
		// Words added this session to set ordinary lines aside must not set
		// risk aside: each of these was once hidden by a word too broad
		// ("on a&e", "weed killer", "takeaway", "a shift", "all set for",
		// "mental health ward").
		{"in A&E after an overdose", "I'm on A&E after taking 40 paracetamol", nil, Urgent, Overdose},
		{"weed killer drunk", "I drank weed killer an hour ago", nil, Urgent, ""},
		{"hit over a takeaway", "he threw the takeaway at me and hit me", nil, Urgent, Abuse},
		{"after a shift", "I want to die after a shift like that", nil, Urgent, Suicide},
		{"all set for tonight", "all set for tonight", []string{"got the rope"}, Urgent, Suicide},
		{"cutting on the ward", "I'm on the mental health ward and I cut myself again", nil, Urgent, SelfHarm},
		// From the review of every unless word added in session 28: each
		// of these was hidden by one ("curtain rail", "gun cabinet", "in the
		// ground with mum", "housing association", "licence").
		{"a curtain rail tonight", "I'm going to hang myself from the curtain rail tonight", nil, Urgent, Suicide},
		{"the gun cabinet key", "took the gun cabinet key off dads keyring while he was asleep", nil, Concern, Suicide},
		{"in the ground with mum", "I just want to be in the ground with mum", nil, Urgent, Suicide},
		{"mould and a child who can't breathe", "the housing association won't fix the mould and my son can't breathe", nil, Urgent, Medical},
		{"a shotgun licence", "I've got a shotgun licence and I keep thinking about using it on myself", nil, Urgent, Suicide},
		{"brother's past, doing brilliant", "my brother tried to end it years ago, he's doing brilliant now and he's the one that told me about yous", nil, "", ""},
		{"violence heard now", "Neighbour's husband is screaming at her and I can hear things smashing", nil, Urgent, ""},
		{"medical signs now", "Mum's in bed, she's breathing funny and her lips look grey", nil, Urgent, Medical},
		{"welsh tablets tonight", "Dwi 'di prynu digon o barasetamol, heno amdani", nil, Urgent, Suicide},

		{"nose is not noose", "my nose is blocked", nil, "", ""},
		{"other people's past", "my mum's funeral was last week, I'd like grief support", nil, "", ""},
		{"course", "I'm doing a first aid course on overdoses", nil, "", ""},
		{"literal", "shoot me a text when you're free", nil, "", ""},
		{"hair dye", "I want to dye my hair red", nil, "", ""},
		{"idiom", "my feet are killing me", nil, "", ""},
		{"dying for", "I'm dying for a cuppa", nil, "", ""},
		{"weeds", "I need to kill the weeds on the patio", nil, "", ""},
		{"carer", "I can't cope with mum's dementia some days, can I get carer support", nil, "", ""},
		{"debt", "I'm behind on my council tax and need advice", nil, "", ""},
		{"bridge club", "we went to the bridge club on wednesday", nil, "", ""},
		{"welsh coffee", "Dw i'n edrych ymlaen at y bore coffi", nil, "", ""},
		{"welsh rain", "Mae'n bwrw glaw eto, ydy'r grŵp cerdded ymlaen?", nil, "", ""},
		{"welsh laughing", "O'n i'n marw chwerthin", nil, "", ""},
		{"denial with a reason", "No I'm fine, not suicidal or anything, just skint", nil, "", ""},
		{"reported question answered no", "The GP asked if I want to die and I said no, and I meant it", nil, "", ""},
		{"other's past, resolved", "My son overdosed five years ago, he's thriving now", nil, "", ""},
		{"welsh wants to live better", "Dwi ddim isio marw, dwi isio byw yn well! Dyna pam dwi'n gofyn am help", nil, "", ""},
		{"welsh not read by the English model", "Mae Taid wedi marw mis dwytha, dwi isio ffeindio grŵp i Nain", nil, "", ""},
		{"escape room", "that escape room was sick, we nearly died lol", nil, "", ""},
		{"phone battery", "Phone's about to die, will text later", nil, "", ""},
		{"bus", "Jumped off the bus at the wrong stop, will be late", nil, "", ""},
		{"empty", "", nil, "", ""},
		{"joke told as one", "I'll throw myself off a cliff if I hear Baby Shark one more time 😅", nil, "", ""},
		{"joke taken back", "I'll throw myself off a cliff if I hear one more word, not joking", nil, Urgent, Suicide},
		{"laughing is not a joke's shape", "lol sorted my funeral playlist today, one less job for whoever finds me", nil, Urgent, Suicide},
		{"a joke does not hide abuse", "he hit me again last night lol, if I have to hear one more of his jokes I'll jump off a bridge", nil, Urgent, Abuse},
		{"scots", "ah'm gonnae top masel, ah mean it", nil, Urgent, Suicide},
		{"spelt as said", "i dont wont to be a live no mor", nil, Urgent, Suicide},
		{"means with its use denied", "bought a hosepipe today and I dont even have a garden", nil, Urgent, Suicide},
		{"money held back", "she has all the money, I have to ask for bus fare. it's MY pension", nil, Urgent, Abuse},
		// Session 37: read in a conversation, after an ordinary message.
		{"an ordinary earlier message does not hide what the model finds", "I dont see me getting old", []string{"Shooting the old ewe tomorrow, shes gone lame past fixing. Cant come till after"}, Concern, ""},
		{"tablets named, then a day, is not a plan", "see you thursday then", []string{"can you check my repeat prescription for my blood pressure tablets"}, "", ""},
		{"tablets saved up, then a day, is", "tonight", []string{"ive been saving up my tablets"}, Urgent, Suicide},
		{"tablets named, then all of them at once, is a plan", "all of them in one go", []string{"got all my tablets out on the table"}, Urgent, Suicide},
		{"tablets taken as prescribed, then all good, is not a count", "all good, see you at the group", []string{"took my tablets like the nurse said"}, "", ""},
		{"loneliness, then rope for the garden, is not a plan", "need some rope for the runner beans, anyone got spare", []string{"lonely since I moved here, don't know anyone"}, "", ""},
		{"a denial is read in its own message, not across", "no im not suicidal, just skint", []string{"how do i do a budget"}, "", ""},
		{"abuse split by hitting send", "punched me", []string{"my partner"}, Urgent, Abuse},
		{"a threat split by hitting send", "to kill me", []string{"my partner threatened"}, Urgent, ""},
		{"a poisoning split by hitting send", "bleach", []string{"he swallowed"}, Urgent, ""},
		{"tablets taken, then a time, is not a count", "at 10", []string{"took my tablets"}, "", ""},
		{"a past act brought into now stays urgent", "years ago I wanted to die and I still do", nil, Urgent, Suicide},
		{"risk now in its own clause beside a past attempt stays urgent", "I'm going to end my life tonight, I tried years ago", nil, Urgent, Suicide},
		{"a plan now joined to a past attempt by and stays urgent", "i was suicidal years ago and im going to end it tomorrow", nil, Urgent, Suicide},
		{"a past attempt and this time stays urgent", "I tried to kill myself when I was 17 and I'm going to do it properly this time", nil, Urgent, Suicide},
		{"a past attempt and means ready now stays urgent", "tried to hang myself years ago and I've got the rope ready now", nil, Urgent, Suicide},
		// A past beside risk now stays urgent (a session 38 review's cases
		// against lowering an attempt told long ago, which was taken out).
		{"once is not long ago", "Once the kids were asleep I took all my tablets", nil, Urgent, Suicide},
		{"when I was in the shower is not long ago", "When I was in the shower I tried to drown myself", nil, Urgent, Suicide},
		{"an overdose now beside one long ago stays urgent", "I had an overdose at 4pm, I'm feeling drowsy, I had one in 2019 as well", nil, Urgent, ""},
		{"a past attempt and a want now stays urgent", "I tried to overdose in 2018 and I want to do it now", nil, Urgent, ""},
		{"a past attempt and a wish stays urgent", "I tried to kill myself last year and I wish it had worked", nil, Urgent, Suicide},
		{"a want since school goes on now", "I've wanted to kill myself since I was at school", nil, Urgent, Suicide},
		{"a finished message is not read across into the next", "Anyone going to the Bridport hat festival? Looking for a lift.", []string{"Is the Wedmore Harvest Home still looking for helpers to carve the ham? I've got my own knife."}, "", ""},
		// Session 39: tablets at hand, said with nothing else (a person
		// trying linkline chat typed it at the GP question; it was saved as
		// the practice).
		{"tablets at hand", "I've got the pills here", nil, Concern, Overdose},
		{"tablets next to me", "the tablets are next to me", nil, Concern, Overdose},
		{"tablets at hand, to take back", "I've got all my mum's tablets here to take back to the pharmacy", nil, "", ""},
		// its unless list must not mute risk that names a chemist or
		// vitamins (a review of the first list found each muted)
		{"tablets at hand from the pharmacy", "I've got the paracetamol here from the pharmacy, all 4 boxes", nil, Concern, ""},
		{"tablets at hand, not vitamins", "got all my tablets here, the sleeping ones, not vitamins", nil, Concern, ""},
		// Session 40's trials: "no, carry on" in answer to "Do you want
		// to talk to someone?" was read as "{not} carry on".
		{"an answer no, then carry on", "no, carry on", nil, "", ""},
		{"an answer no, then keep going", "no keep going", nil, "", ""},
		{"an answer no, then cannot carry on", "no, I can't carry on", nil, Concern, Suicide},
		// Session 40's trials: not wanting to go on with the questions was
		// urgent.
		{"not carrying on with the questions", "yes I'm fine, I just don't want to carry on with the questions", nil, "", ""},
		{"not carrying on, then the questions", "I dont want to carry on, the questions can wait", nil, Urgent, Suicide},
		// Session 40: a stroke is an emergency when it is happening.
		{"a stroke happening", "Help my husband has had a stroke", nil, Urgent, Medical},
		{"a stroke just now", "mums had a stroke", nil, Urgent, Medical},
		{"a stroke club", "Can you help me find a stroke club for my dad?", nil, "", ""},
		{"a carer of a stroke survivor", "My wife has had a stroke so I'm her full time carer", nil, "", ""},
		{"a stroke in the spring", "yes - my wife had a stroke in the spring, I do most things for her now", nil, "", ""},
		// Round 69: the words for a message were {literal}, which muted
		// plain intent to a concern.
		{"intent beside a text", "I will kill myself if he texts again", nil, Urgent, Suicide},
		{"intent beside a message", "stop messaging me or I will kill myself", nil, Urgent, Suicide},
		{"words either side of two messages are not one clause", "Broke my wrist coming off the pony, cast on for 6 weeks", []string{"I look after my wife who has dementia, is there any respite?"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := s.Check(tt.text, tt.recent)
			got := res.Risk
			for _, aside := range []Finding{res.Noted, res.Distress} {
				if !got.Found() && tt.tier == Concern && strings.Contains(aside.Rule, SetAside) {
					// The rules raised it and the model set it aside
					// (tested in TestSetAside*): these cases are about
					// the rules, and retraining moves the model's scores.
					got = aside
					got.Tier = Concern
				}
			}
			if got.Tier != tt.tier {
				t.Fatalf("Check(%q, %q).Risk = %+v, want tier %q", tt.text, tt.recent, got, tt.tier)
			}
			if tt.category != "" && got.Category != tt.category {
				t.Errorf("Check(%q) category = %q (rule %s), want %q", tt.text, got.Category, got.Rule, tt.category)
			}
			if got.Found() && (got.Rule == "" || got.Words == "" || got.Locale == "") {
				t.Errorf("Check(%q) = %+v: a finding must name its rule, words and locale", tt.text, got)
			}
		})
	}
}

func TestFindingNamesWhatFired(t *testing.T) {
	s := mustDefault(t)
	got := s.Check("Honestly I've been SAVING UP my sertraline tablets", nil).Risk
	if got.Rule != "suicide/plan-means" || !strings.Contains(got.Words, "SAVING UP") {
		t.Errorf("finding = %+v, want suicide/plan-means quoting the words as typed", got)
	}
	got = s.Check("I'm not going to kill myself", nil).Risk
	if got.Tier != Concern || !strings.HasSuffix(got.Rule, Negated) {
		t.Errorf("negated finding = %+v, want concern marked %q", got, Negated)
	}
	got = s.Check("myself", []string{"i want to kill"}).Risk
	if !strings.HasSuffix(got.Rule, AcrossMessages) || !strings.Contains(got.Words, "kill") || !strings.Contains(got.Words, "myself") {
		t.Errorf("across finding = %+v, want the words from both messages", got)
	}
	got = s.Check("mae o wedi fy nharo i", nil).Risk
	if got.Locale != "cy" {
		t.Errorf("Welsh finding locale = %q, want cy", got.Locale)
	}
}

func TestRequestAndDistress(t *testing.T) {
	s := mustDefault(t)
	for _, text := range []string{"can I talk to someone please", "I need to talk to someone", "speak to a person please", "human please", "is this a bot?", "ga i siarad â rhywun?", "Is there a link worker I can meet in person?"} {
		if r := s.Check(text, nil); !r.Request.Found() || r.Risk.Found() {
			t.Errorf("Check(%q) = %+v, want a request and no risk", text, r)
		}
	}
	// "the phone company" is not wanting company (it had hidden this
	// request); "had enough" is asked about as well, so only the request
	// is checked.
	if r := s.Check("I want a real person, I've had enough of bots with the phone company this week", nil); !r.Request.Found() {
		t.Errorf("phone company: %+v, want a request", r)
	}
	for _, text := range []string{"Margaret Jones", "12/03/1958", "LL57 2DG", "I'd like to talk about my allotment", "I don't want to talk to anyone", "i dont want to speak to anyone thanks", "no I do not want to talk to someone, I just want the form",
		"stop texting me please", "only text me pls"} {
		if r := s.Check(text, nil); r.Request.Found() {
			t.Errorf("Check(%q) = %+v, want no request", text, r)
		}
	}
	if r := s.Check("I'm really struggling at the moment", nil); !r.Distress.Found() || r.Risk.Found() {
		t.Errorf("distress = %+v, want distress and no risk", r)
	}
	// "can't cope" may also be asked about (the model's concern since
	// round 52), never sent the crisis text unasked.
	if r := s.Check("I'm really struggling and I can't cope", nil); !r.Distress.Found() || r.Risk.Tier == Urgent {
		t.Errorf("distress = %+v, want distress and at most a concern", r)
	}
}

func TestSpeller(t *testing.T) {
	s := mustDefault(t)
	rs := s.sets[0]
	for _, tt := range []struct{ in, want string }{
		{"sucidal", "suicidal"},
		{"tierd", "tired"},   // same letters beat a deletion ("tied")
		{"wnat", "want"},     // four letters: swaps only
		{"nose", "nose"},     // a real word is never changed
		{"noose", "noose"},   // nor stretched into another
		{"wnta", "wnta"},     // four letters, not a swap of a rule word
		{"kitten", "kitten"}, // real word
		{"xyzzzz", "xyzz"},   // stretched letters count as two
		// A form made from a rules word that is no real word
		// ("chokeding" from "choked", "stranging" from "strange") is
		// not a word to correct towards (session 50).
		{"chokeing", "choking"},
		{"stranglng", "strangling"},
		{"freshers", "freshers"}, // a UK word the word list lacks
		{"beatting", "beating"},  // a letter typed twice
		{"anging", "hanging"},    // a dropped h, not "angina"
		{"garbbed", "grabbed"},   // a rules word one slip away wins
		{"siltting", "slitting"}, // (not "silting")
		{"gunn", "gunn"},         // a name: too short to undouble
	} {
		p := rs.normalise(tt.in)
		if len(p.toks) != 1 || p.word(0) != tt.want {
			t.Errorf("normalise(%q) = %+v, want %q", tt.in, p.toks, tt.want)
		}
	}
}

func TestEnglishForms(t *testing.T) {
	for _, tt := range []struct {
		word      string
		want, not []string
	}{
		{"strangle", []string{"strangles", "strangled", "strangling"}, nil},
		{"scar", []string{"scars", "scarred", "scarring"}, []string{"scared"}},
		{"stab", []string{"stabbed", "stabbing"}, nil},
		{"bury", []string{"buries", "buried"}, nil},
		{"die", []string{"died", "dying"}, nil},
	} {
		got := englishForms(tt.word)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("englishForms(%q) = %v, lacks %q", tt.word, got, w)
			}
		}
		for _, w := range tt.not {
			if slices.Contains(got, w) {
				t.Errorf("englishForms(%q) = %v, has %q", tt.word, got, w)
			}
		}
	}
}

func TestWelsh(t *testing.T) {
	for _, tt := range []struct{ word, radical string }{
		{"nharo", "taro"}, {"mrifo", "brifo"}, {"ladd", "lladd"}, {"farw", "marw"}, {"nghuro", "curo"}, {"thabledi", "tabledi"},
	} {
		if got := welshRadicals(tt.word); !slices.Contains(got, tt.radical) {
			t.Errorf("welshRadicals(%q) = %v, lacks %q", tt.word, got, tt.radical)
		}
	}
	ws := splitWelshClitics(tokenise("mae'n ofnus i'r tŷ"))
	var got []string
	for _, w := range ws {
		got = append(got, w.text)
	}
	if want := []string{"mae", "yn", "ofnus", "i", "y", "tŷ"}; !slices.Equal(got, want) {
		t.Errorf("splitWelshClitics = %v, want %v", got, want)
	}
	// An English message is not read with the Welsh rules.
	s := mustDefault(t)
	if r := s.Check("the boiler is broken again", nil); r.Risk.Found() {
		t.Errorf("English message fired %+v", r.Risk)
	}
}

func TestNewLocale(t *testing.T) {
	for _, loc := range []string{"en", "EN", "en-GB", "en_GB", "cy", "cy-GB"} {
		s, err := New(loc)
		if err != nil || s.Locale() != strings.ToLower(loc[:2]) {
			t.Errorf("New(%q) = %v, %v; want the %s rules", loc, s, err, loc[:2])
		}
	}
	for _, loc := range []string{"", "xx", "../rules/en", "fr"} {
		if _, err := New(loc); !errors.Is(err, ErrUnknownLocale) {
			t.Errorf("New(%q) error = %v, want ErrUnknownLocale", loc, err)
		}
	}
	if got := mustDefault(t).Locales(); !slices.Equal(got, []string{"en", "cy"}) {
		t.Errorf("Default().Locales() = %v, want [en cy]", got)
	}
}

func TestLoad(t *testing.T) {
	good := `locale: test
normalise:
  wanna: want to
concepts:
  pet: [cat, dog]
  person: [he, my dog]
  not: [not, never]
  toy: [ball]
  frame: [at work]
clause_unless: [toy]
idioms:
  - "raining {pet} and dogs"
  - "licks me"
idioms_not_after: ["{person}"]
rules:
  - id: medical/pet
    tier: urgent
    phrases:
      - "{pet} ... bite* me"
      - "want to ... pat the {pet}"
    unless: ["vet", "{toy}", "{frame}"]
    sources: [made-up]
  - id: abuse/licks
    tier: concern
    phrases: ["licks me"]
  - id: abuse/both
    tier: urgent
    all: ["grrr", "woof"]
  - id: abuse/last
    tier: concern
    phrases: ["bark $"]
context:
  - id: abuse/then
    tier: urgent
    earlier: ["the {pet}"]
    now: ["again"]
sources:
  made-up: "a test"
`
	s, err := Load(strings.NewReader(good))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, tt := range []struct {
		text, recent string
		want         Tier
	}{
		{"the dog bites me", "", Urgent},
		{"the dog biting me", "", Urgent},
		{"the dog bites me at the vet", "", ""},
		{"the dog bites me with the ball", "", ""},         // a listed thing mutes its clause
		{"the dog bites me, i threw the ball", "", Urgent}, // but not another clause
		{"the dog bites me, i was at work", "", ""},        // a frame mutes the sentence
		{"the dog never bites me", "", Concern},            // negated urgent is asked about
		{"i wanna quickly pat the cat", "", Urgent},
		{"i wanna pat cat", "", Urgent}, // an article inside a phrase may be left out
		{"i wanna pat a cat", "", ""},   // but not changed
		{"it is raining cats and dogs", "", ""},
		{"it licks me", "", ""},
		{"he licks me", "", Concern},
		{"my dog always licks me", "", Concern},
		{"woof and grrr", "", Urgent},
		{"it is a bark", "", Concern}, // $ is the end of the message
		{"a bark. ", "", Concern},
		{"bark at me", "", ""},
		{"woof. grrr", "", ""}, // `all` stays within a sentence
		{"again", "the cat", Urgent},
		{"again", "", ""},
	} {
		var recent []string
		if tt.recent != "" {
			recent = []string{tt.recent}
		}
		if got := s.Check(tt.text, recent).Risk.Tier; got != tt.want {
			t.Errorf("custom rules: Check(%q) tier = %q, want %q", tt.text, got, tt.want)
		}
	}

	rule := "rules:\n  - id: suicide/a\n    tier: urgent\n    phrases: [a]\n"
	bad := map[string]string{
		"not yaml":           "rules: [",
		"unknown field":      "locale: x\nrulez: []\n",
		"no locale":          rule,
		"no rules":           "locale: x\n",
		"$ not last":         "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    phrases: [\"a $ b\"]\n",
		"^ not first":        "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    phrases: [\"a ^ b\"]\n",
		"^ alone":            "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    phrases: [\"^\"]\n",
		"unknown category":   "locale: x\nrules:\n  - id: sadness/a\n    tier: urgent\n    phrases: [a]\n",
		"no name":            "locale: x\nrules:\n  - id: suicide\n    tier: urgent\n    phrases: [a]\n",
		"no tier":            "locale: x\nrules:\n  - id: suicide/a\n    phrases: [a]\n",
		"tier mismatch":      "locale: x\nrules:\n  - id: suicide/a\n    tier: request\n    phrases: [a]\n",
		"person urgent":      "locale: x\nrules:\n  - id: person/a\n    tier: urgent\n    phrases: [a]\n",
		"bad negated":        "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    negated: maybe\n    phrases: [a]\n",
		"duplicate id":       "locale: x\n" + rule + "  - id: suicide/a\n    tier: urgent\n    phrases: [b]\n",
		"unknown concept":    "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    phrases: [\"{nope} a\"]\n",
		"leading gap":        "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    phrases: [\"... a\"]\n",
		"trailing gap":       "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    phrases: [\"a ~\"]\n",
		"double gap":         "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    phrases: [\"a ... ~ b\"]\n",
		"empty phrase":       "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    phrases: [\"!!\"]\n",
		"no phrases":         "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n",
		"one all":            "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    all: [a]\n",
		"glued concept":      "locale: x\nconcepts:\n  s: [a]\nrules:\n  - id: suicide/a\n    tier: urgent\n    phrases: [\"x{s}\"]\n",
		"context half":       "locale: x\n" + rule + "context:\n  - id: suicide/b\n    tier: urgent\n    now: [a]\n",
		"empty concept":      "locale: x\nconcepts:\n  s: [\"!\"]\n" + rule,
		"concept loop":       "locale: x\nconcepts:\n  s: [\"{t}\"]\n  t: [\"{s}\"]\n" + rule,
		"pattern in concept": "locale: x\nconcepts:\n  s: [\"a ... b\"]\n" + rule,
		"unknown source":     "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    phrases: [a]\n    sources: [nowhere]\n",
		"bad morphology":     "locale: x\nmorphology: klingon\n" + rule,
		"idioms_not_after":   "locale: x\nidioms_not_after: [\"{nope}\"]\n" + rule,
		"clause_unless":      "locale: x\nclause_unless: [nope]\n" + rule,
	}
	for name, in := range bad {
		if _, err := Load(strings.NewReader(in)); err == nil {
			t.Errorf("Load(%s) = nil error, want one", name)
		}
	}
}

func TestLoadErrorNamesLine(t *testing.T) {
	in := "locale: x\nrules:\n  - id: suicide/a\n    tier: urgent\n    phrases:\n      - fine\n      - \"{nope}\"\n"
	_, err := Load(strings.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "line 7") {
		t.Errorf("Load error = %v, want one naming line 7", err)
	}
}

// The built-in rules cover every category, both risk tiers and requests,
// in both languages.
func TestBuiltInRulesCoverEveryCategory(t *testing.T) {
	for _, loc := range []string{"en", "cy"} {
		s, err := New(loc)
		if err != nil {
			t.Fatal(err)
		}
		rs := s.sets[0]
		tiers := map[Tier]bool{}
		cats := map[string]bool{}
		for _, r := range rs.rules {
			tiers[r.tier] = true
			cats[r.category] = true
		}
		for _, tier := range []Tier{Urgent, Concern, Request, Distress} {
			if !tiers[tier] {
				t.Errorf("%s: no %s rule", loc, tier)
			}
		}
		for _, c := range Categories() {
			if loc == "en" && c == HarmToOthers || !cats[c] && c != HarmToOthers {
				if !cats[c] {
					t.Errorf("%s: no rule for category %s", loc, c)
				}
			}
		}
		if loc == "en" && len(rs.context) < 3 {
			t.Errorf("en: %d context rules, want the full set", len(rs.context))
		}
	}
}

// TestDroppedG checks the dropped-g reading word by word: an unknown word
// that is a known one with its g put back is read as that word, in the
// English file only; a known word is never changed.
func TestDroppedG(t *testing.T) {
	s := mustDefault(t)
	en, cy := s.sets[0], s.sets[1]
	tests := []struct {
		rs          *ruleset
		typed, want string
	}{
		{en, "walkin", "walking"},
		{en, "bein", "being"},
		{en, "thinkin", "thinking"},
		{en, "cabin", "cabin"},   // a word already
		{en, "cousin", "cousin"}, // a word already
		{en, "xyzin", "xyzin"},   // no word with a g either
		{cy, "walkin", "walkin"}, // the Welsh file corrects nothing
	}
	for _, tt := range tests {
		var tok token
		if got := tt.rs.spell(tt.typed, &tok, nil, false); got != tt.want {
			t.Errorf("%s: spell(%q) = %q, want %q", tt.rs.locale, tt.typed, got, tt.want)
		}
	}
}

// TestWillKeepsTheTypedWord checks a word read as two ("husband'll" as
// "husband will") names the word as typed in a finding, whatever its
// apostrophe, and that the normalising table still reads the split words.
func TestWillKeepsTheTypedWord(t *testing.T) {
	s := mustDefault(t)
	for _, c := range []struct{ text, words string }{
		{"my husband'll kill me", "husband'll kill me"},
		{"my husband’ll kill me", "husband’ll kill me"},
		{"'my husband'll' kill me", "husband'll' kill me"},
	} {
		got := s.Check(c.text, nil).Risk
		if got.Tier != Urgent || got.Words != c.words || !utf8.ValidString(got.Words) {
			t.Errorf("Check(%q).Risk = %+v, want urgent with words %q", c.text, got, c.words)
		}
	}
	if got := s.Check("a'll no be here the morra", nil).Risk; got.Tier == "" {
		t.Errorf(`Check("a'll no be here the morra") found no risk: the table's "a will no" was not read`)
	}
}

// TestUnlessDoesNotMuteRisk holds risk that an ordinary word in the same
// sentence once muted through an unless list (session 46's audit: the
// reasons an abuser gives for a blow, grief beside a wish to die, the help
// already tried, a past beside "again tonight"). Each must stay urgent.
func TestUnlessDoesNotMuteRisk(t *testing.T) {
	s := mustDefault(t)
	for _, text := range []string{
		"he punched me in the face last night cos i hadnt done the dishes",
		"he hit me again for leaving the washing up",
		"he punched me in the face last night over the bill",
		"he hit me again this morning cos i forgot the milk",
		"my husband hit me because i left the light on",
		"he hit me for telling my mum what he does",
		"my dad beat me up when he saw my results",
		"he punched me and scratched my face",
		"he will kill me if he finds out i spent the money on the kids",
		"my husband hits me every night now, he used to only shout",
		"my boyfriend hits me more than once a week",
		"he punched me again tonight, i left him months ago but he found me",
		"he punched me again, please dont tell my social worker",
		"i just want to die, the grief is too much",
		"my best friend has died and i just want to die too",
		"rang the samaritans but i still want to die",
		"ive been suicidal since my dad passed away",
		"im so tired of living since my wife died",
		"stockpiled 60 paracetamol, tried the samaritans but no answer",
		"i cut myself again tonight, ive been clean since then",
		"cut myself again tonight after i fell out with mum",
		"took 40 paracetamol, rang the samaritans but hung up",
		"thoughts of hurting my son, im a mess",
		"i burnt myself again on purpose in the garden",
		"i cut myself on purpose tonight its no accident",
		"took 30 paracetamol from the pharmacy",
		"took 40 tablets from the blister pack tonight",
		"swallowed 40 sertraline and vitamins",
		"going to hang myself with the washing line",
	} {
		if got := s.Check(text, nil).Risk; got.Tier != Urgent {
			t.Errorf("Check(%q).Risk = %+v, want urgent", text, got)
		}
	}
}

// TestJestAndPastDoNotHideRisk holds the first review of session 46's set-
// asides: risk they had hidden, each urgent again.
func TestJestAndPastDoNotHideRisk(t *testing.T) {
	s := mustDefault(t)
	for _, tt := range []struct{ text, earlier string }{
		// A threat from a partner, tonight, with fear, or to someone else.
		{"he said he'll kill me haha", ""},
		{"he will kill me tonight lol", ""},
		{"my husband says he will kill me lol but i think he means it", ""},
		{"partner says he'll kill me if i don't have sex with him lol", ""},
		{"Had a laugh with my sister earlier lol. My husband said he will kill me tonight.", ""},
		{"he'll kill me, i don't think it's a joke", ""},
		{"he said he will kill me 🙄", ""},
		{"he said he'd kill me lol 😨", ""},
		{"i will kill him tonight lol he deserves it", ""},
		{"going to strangle him in his sleep lol", ""},
		{"on her birthday my mum said she would kill me and herself", ""},
		{"he's going to kill me over the milk, he's already punched me twice this week", ""},
		{"it was his birthday and he got drunk and said he would kill me", ""},
		// "kms" with a laugh but no mishap, or with risk beside it.
		{"kms lol", ""},
		{"kms tonight lol", ""},
		{"kms lol the pills are in my drawer", ""},
		{"kms. my life is a joke", ""},
		{"kms 🙄 nobody cares anyway", ""},
		{"honestly kms lol nobody would notice", ""},
		{"lowkey kms 😂 been thinking about it all week", ""},
		{"kms 😂", "everyone hates me"},
		// A medical event today, or still going on.
		{"had chest pain this morning", ""},
		{"my baby had a seizure this morning", ""},
		{"had chest pain yesterday and it still hurts", ""},
		// A child's age is not a past.
		{"my daughter aged 14 is self harming, cuts on her arms", ""},
		// A question of one's own, or a no taken back, is not a denial.
		{"Would anyone care if I killed myself? No.", ""},
		{"Can I stop myself from hurting myself? No.", ""},
		{"Kill myself? No, not yet.", ""},
		// The second review: "finish it" is not answering later; a day's
		// past is now though an older one stands elsewhere; "kms" beside
		// a time or a wish; a threat from an unnamed "she".
		{"im going to finish it tomorrow", ""},
		{"gonna finish it later", ""},
		{"I saw the GP last week about my knee. My husband collapsed this morning.", ""},
		{"started new tablets last week, had a seizure this morning", ""},
		{"kms nobody would care lol i spilt my tea", ""},
		{"kms pills are in my drawer lol", ""},
		{"kms lol planning it for friday", ""},
		{"kms lol nobody loves me", ""},
		{"my wife is so angry. she says she's going to kill me lol", ""},
		{"my ex texted. she said she'll kill me lol", ""},
		{"he'll kill me over the bill and he has a gun", ""},
		{"had chest pain last week, got it now", ""},
		// The third review: a partner named beside family, drink, a
		// check at another time, more of "kms" beside hopelessness.
		{"my ex and his mum are gonna kill me 😂", ""},
		{"my partner's son is going to kill me lol", ""},
		{"my kids dad is going to kill me lol", ""},
		{"my dad is going to kill me lol hes drunk again", ""},
		{"My husband collapsed this morning. He had an ECG last year.", ""},
		{"kms lol no one would care", ""},
		{"kms lol i just might", ""},
		{"kms lol i am so lonely", ""},
		{"kms lol ive written the note", ""},
		{"lmao kms i have no one", ""},
		// Welsh: disappearing for ever, and crying for a week.
		{"Dwi isio diflannu am byth, dwi di bod yn crio am wythnos", ""},
		{"Dwi isio diflannu, dwi'n crio am awr bob nos", ""},
	} {
		var recent []string
		if tt.earlier != "" {
			recent = []string{tt.earlier}
		}
		if got := s.Check(tt.text, recent).Risk; got.Tier != Urgent {
			t.Errorf("Check(%q, %q).Risk = %+v, want urgent", tt.text, recent, got)
		}
	}
	for _, text := range []string{
		"i can see the point of it now | the rope is in the shed",
		"feeling a bit low today | the hosepipe is in the shed if the group needs it for the allotment",
	} {
		earlier, now, _ := strings.Cut(text, " | ")
		if got := s.Check(now, []string{earlier}).Risk; got.Tier == Urgent {
			t.Errorf("Check(%q, %q).Risk = %+v, want not urgent", now, earlier, got)
		}
	}
}

// tierCase is a message and the tier a screen should give it alone.
type tierCase struct {
	text string
	want Tier
}

// mustLoad loads a small rules file for a test.
func mustLoad(t *testing.T, rules string) *Screen {
	t.Helper()
	s, err := Load(strings.NewReader(rules))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

// checkTiers checks each case's tier, read alone.
func checkTiers(t *testing.T, s *Screen, cases []tierCase) {
	t.Helper()
	for _, tt := range cases {
		if got := s.Check(tt.text, nil).Risk.Tier; got != tt.want {
			t.Errorf("Check(%q) tier = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// A word longer than maxFixLen is never corrected: one unbroken word of
// 300 letters took 22 seconds, the deletions growing with its length
// squared (session 46's review). One letter off, a 26-letter rule word is
// left alone while a 12-letter one is corrected.
func TestSpellerSkipsLongWords(t *testing.T) {
	long, short := "abcdefghijklmnopqrstuvwxyz", "abcdefghijkl"
	sp := newSpeller(map[string]bool{long: true, short: true}, func(string) bool { return false }, nil)
	if got, ok := sp.fix(short[:11] + "q"); !ok || got != short {
		t.Errorf("fix(%q) = %q, %v; want %q corrected", short[:11]+"q", got, ok, short)
	}
	if got, ok := sp.fix(long[:25] + "q"); ok {
		t.Errorf("fix(%q) = %q; want a word of %d letters left alone", long[:25]+"q", got, len(long))
	}
}

// TestPastToldAsOver checks, on a small rules file, a concept phrase with
// {count} ("when i was {count}": a number of 10 or more, wherever it
// stands in the phrase) and that a recurrence inside a phrase that says
// it is over ("grateful every day") does not keep a past told as over.
func TestPastToldAsOver(t *testing.T) {
	rules := `locale: test
concepts:
  past_distant: ["when i was {count}", "{count} years ago", "aged {count} and {count}"]
  resolved: [doing well, grateful every day]
  recurring: [every day, again]
rules:
  - id: suicide/plain
    tier: urgent
    phrases: [end my life]
`
	checkTiers(t, mustLoad(t, rules), []tierCase{
		{"i tried to end my life when i was 19, doing well now", ""},
		{"i tried to end my life 20 years ago, doing well now", ""},
		{"i tried to end my life aged 19 and 20, doing well now", ""},
		{"i tried to end my life when i was 9, doing well now", Urgent}, // {count} is 10 or more
		{"i tried to end my life when i was young, doing well now", Urgent},
		{"i tried to end my life when i was 19", Urgent}, // a past alone is not over
		{"i tried to end my life when i was 19, grateful every day", ""},
		{"i tried to end my life when i was 19, doing well, but i think of it every day", Urgent},
		{"i tried to end my life when i was 19, grateful every day, but it is back again", Urgent},
		{"i want to end my life, doing well when i was 19", Urgent}, // not told as past: the clause is the present
	})
	for _, bad := range []string{"{count}", "{count} {other}", "when ~ {count}"} {
		_, err := Load(strings.NewReader("locale: test\nconcepts:\n  c: [\"" + bad + "\"]\nrules:\n  - id: suicide/x\n    tier: urgent\n    phrases: [\"{c}\"]\n"))
		if err == nil {
			t.Errorf("a concept phrase %q loaded, want an error", bad)
		}
	}
}

// TestMedicalSeenTo checks the medical set-aside on a small rules file: a
// medical finding in a clause that says it was seen to or was in the past
// is set aside when the message says nothing of now, and only medical
// findings are.
func TestMedicalSeenTo(t *testing.T) {
	rules := `locale: test
concepts:
  med_checked:
    exact: true
    phrases: [turned out, fine now]
  med_now: [worse, is having, since last week]
  past_recent: [last week]
  past_weeks: [last week]
  past_distant: [years ago]
  resolved: [all good]
  med_over:
    exact: true
    phrases: [fully recovered]
  med_benign: [reflux]
  med_clinician: [gp]
  recurring: [again]
rules:
  - id: medical/chest
    tier: urgent
    phrases: [chest pain]
  - id: suicide/plain
    tier: urgent
    phrases: [end my life]
`
	s := mustLoad(t, rules)
	checkTiers(t, s, []tierCase{
		{"chest pain last week, turned out to be reflux", ""},
		{"had chest pain last week. turned out to be reflux", ""}, // the sentence tells the past
		{"chest pain last week, fine now", ""},
		{"chest pain", Urgent},                                           // nothing says it was seen to
		{"chest pain last week", ""},                                     // a past is not now (session 46: was urgent)
		{"chest pain since last week", Urgent},                           // but one that runs to now is
		{"chest pain last week and now it is worse", Urgent},             // and so is one that is back
		{"turned out to be reflux, but now chest pain", Urgent},          // the pain's own clause says neither
		{"chest pain last week, turned out to be reflux, worse", Urgent}, // a guard word keeps it
		{"chest pain last week, turned out fine, again", Urgent},         // so does a recurrence
		{"chest pain last week, turned out fine, he is having it", Urgent},
		{"turned out fine and i want to end my life", Urgent}, // only medical findings are set aside
		{"chest pain years ago", ""},                          // a distant past is an end
		{"chest pain, fully recovered", ""},                   // an end said outright covers its sentence
		{"chest pain. fully recovered", Urgent},               // but not another sentence
		{"chest pain when i cough, gp says reflux", ""},       // so do a clinician and a harmless reading
		{"chest pain when i cough, probably reflux", Urgent},  // a harmless reading alone does not
		{"chest pain, the gp is away", Urgent},                // nor a clinician alone
		{"chest pain when i cough, gp says reflux, worse", Urgent},
	})

	// A medical finding set aside leaves the model to read the message (the
	// words that set it aside are ordinary ones); a past told as over does
	// not.
	rs := s.sets[0]
	for _, tt := range []struct {
		text, rule   string
		modelMayRead bool
	}{
		{"chest pain last week, turned out to be reflux", "medical/chest", true},
		{"end my life years ago, all good", "suicide/plain", false},
	} {
		p := rs.cached(tt.text, false)
		a := rs.setAside(p)
		found := false
		rs.scan(p, len(p.toks), 0, func(h hit) {
			if h.rule.id != tt.rule {
				return
			}
			found = true
			why, mayRead := a.covers(rs, p, h)
			if why == "" || mayRead != tt.modelMayRead {
				t.Errorf("%q: set aside %q, model may read %v; want set aside, model may read %v", tt.text, why, mayRead, tt.modelMayRead)
			}
		})
		if !found {
			t.Errorf("%q: rule %s did not match (the case checks nothing)", tt.text, tt.rule)
		}
	}
}

// TestRound76Classes holds session 47's classes, written for the test (not
// copied from a set): a place of study is a past only when the message
// says it is over; a cover story said to be one; harm for the pain itself;
// a past abuser near again; and the ordinary readings beside them.
func TestRound76Classes(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		// "at school" and "at uni" no longer mute a finding on their own.
		{"my son is cutting himself, the nurse at school rang me", Urgent},
		{"took 30 of my tablets in my room at uni", Urgent},
		{"I self harmed at school, I'm a teacher now and doing brilliantly", ""},
		{"my cousin overdosed at uni, she is doing really well now", ""},
		// A cover story told as one.
		{"mum thinks the marks are from the cat, they are not really", Urgent},
		{"told them it was the dog that scratched me but I did it myself", Concern},
		{"the kitten scratched my hand playing", ""},
		// Harm for the pain itself, without "myself".
		{"it's not dying I want, I just need the sting", Concern},
		{"I need the pain on the outside so the inside goes quiet", Concern},
		{"I need the pain to stop, can the GP change my tablets", ""},
		// A voice heard one last time; the noise in one's head.
		{"rang my brother, wanted to hear his voice one last time", Concern},
		{"I just want the noise in my head to stop", Concern},
		// A past abuser near again is now.
		{"he broke my arm when we were married and now he has moved in two streets away", Urgent},
		{"she hit me years ago, she's out of prison now and found out where I live", Urgent},
		// Control of work.
		{"my husband says women in his family do not work", Urgent},
		// Ordinary readings.
		{"my sourdough starter went grey, can I save it", ""},
		{"grandad's face has gone grey and he can't get his breath", Urgent},
		{"he shot himself in the foot telling the boss that", ""},
		{"the water company are bleeding us dry", ""},
		{"the dog has stopped eating her biscuits, should I change them", ""},
		// A past in another clause does not place a finding told now, in
		// any tense (session 47's review).
		{"I want to die, I used to be happy years ago", Urgent},
		{"I took 20 sertraline this morning, used to do it when i was younger, I have a good life now really", Urgent},
		{"he was strangling me last night, he used to be lovely when we were married", Urgent},
		{"I swallowed bleach an hour ago, used to do stuff like this years ago, got support now", Urgent},
		{"took an overdose on friday, last one was years ago, ive got support now from my sister", Urgent},
		{"my husband's gone grey, clutching his chest", Urgent},
		{"stopped eating, stopped taking my meds, nothing matters", Urgent},
		{"i wanted to die last night, i was fine for years", Urgent},
		{"my ex was violent years ago and he found me again last week", Urgent},
		// "that was" is not a past on its own; minutes and hours ago are now.
		{"I took 40 pills, that was an hour ago", Urgent},
		{"cut my wrists, that was 10 minutes ago", Urgent},
		// "I once" is a past only with words that say it is over, and "now
		// I'm going to" is not such words.
		{"I once loved life, now I'm going to hang myself", Urgent},
		{"I once took an overdose, I'm fine now and have been for years", ""},
		// Welsh: a grey face and a chest that hurts.
		{"mae nain wedi mynd yn llwyd ac mae ei brest yn brifo", Urgent},
	})
}

// TestRound78Classes holds the classes of session 48: round 78 (held-out
// 136-138, scored with the session's first build before it was read) and
// the gaps the previous review found. Each risky case would fail with
// its change taken out; the ordinary ones guard against the words that
// were added for them, or taken out after a review, muting too much.
func TestRound78Classes(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		// A better past set against now does not place the risk in the
		// past, and a negated "happy" is not a past got over.
		{"I took 30 pills, I used to be happy", Urgent},
		{"my son said at school today he wants to kill himself, he used to be so happy", Urgent},
		{"he was beating me when he was drunk last night, im not happy", Urgent},
		{"I used to self harm years ago, really happy now", ""},
		{"I used to self harm as a teen, I'm 28 now and fine, my scars still bother me in summer though", ""},
		// A blow told in the present is now, whatever past follows.
		{"my husband punches me, he did it when we were on holiday too", Urgent},
		{"me dad died when I was 10 and it still hits me on his birthday", ""},
		// Passive wishes and plans told sideways.
		{"my neighbour died last night and my first thought was lucky her", Concern},
		{"When they scan me I half hope they find something", Concern},
		{"my husband would do so much better with someone who isn't me, and the kids would get over it", Concern},
		{"who will take my old collie when I'm not about", Concern},
		{"I got to 6 months. As of Tuesday I'm back to day one", Concern},
		{"back to day one on the diet, too many mince pies", ""},
		{"gave my climbing gear to my mate, won't need it again, or anything else", Concern},
		// Danger and control in other words.
		{"the marks are on my neck this time so i can't go in to work", Concern},
		{"got a love bite on my neck, so embarrassing", ""},
		{"can you only text me on Tuesdays? that's the day he's at the mart", Concern},
		{"had to explain to him why the Tesco receipt was more than the list", Concern},
		{"I need to explain the receipt to my boss for my expenses", ""},
		{"my husband's talking rubbish and one side of his smile's not working", Urgent},
		// Welsh: given away, not needed again; a telling off.
		{"'di rhoi'n sgidia dringo i Dylan heddiw. fydda i'm angen nhw eto, na dim byd arall chwaith", Concern},
		{"fydd Mam yn fy lladd i pan welith hi'r bil ffôn 'ma 😬", ""},
		// Ordinary readings.
		{"I'd sooner shoot myself than go back to that call centre", ""},
		{"I'd rather kill myself than go back to him", Urgent},
		{"the kids are out for blood over who gets the Xbox first", ""},
		{"is your service only for people who are suicidal or can I come about being bored", ""},
		{"💊✅ took them all on time today without the alarm", ""},
		// One's own course going wrong is not a frame of study.
		{"im tired of life, failing my course", Urgent},
		// An emergency now at a funeral is not a death told.
		{"my aunt has collapsed at the crematorium, what do I do", Urgent},
		{"think dad has had a stroke at the funeral, face has dropped", Urgent},
		{"nan is on the floor and i cant lift her, kids are playing upstairs", Urgent},
		{"my uncle had a heart attack at the funeral, ambulance is coming", Urgent},
		{"my granddaughter died at 19 and I can't speak about it at home", ""},
		// A cover story said to be one.
		{"told my mum the burns are from the oven, they're not", Concern},
		// The review's messages (session 48): words that were added as
		// ordinary and hid risk, taken out or narrowed again.
		{"I had a heart attack 2 years ago and made a full recovery but I've got chest pain going into my jaw now", Urgent},
		{"my husband collapsed at his desk, his boss wants him back at work this afternoon", Urgent},
		{"my daughter tried to hang herself last year, she's back at work and she's got a rope in her room", Urgent},
		{"since my fall last month I've had double vision and now I can't walk straight", Urgent},
		{"I'd sooner kill myself than go to court and see him", Urgent},
		{"I'd sooner shoot myself than go to that house again, he'll be there", Urgent},
		{"mae o'n fy nharo i 😬", Urgent},
		{"Bydd o yn fy lladd i pan welith o mod i wedi gadael", Urgent},
		{"my dad's palliative and says he'll take his own life before christmas", Urgent},
		{"my wife is terminal, I keep thinking about putting a pillow over her face", Urgent},
		{"is the service for people who are suicidal? I have a plan for tonight", Urgent},
		{"gave a pint at the blood donation this morning then took 30 paracetamol", Urgent},
		{"I cut the bit on my wrist again tonight and it won't stop bleeding", Urgent},
		{"woke up without the alarm and decided today is the day I kill myself", Urgent},
		{"can you only text me on Mondays, I work the rest of the week", ""},
		{"can a neighbour feed the cat when I'm not about next week, I'm on holiday in Tenerife", ""},
		{"I won't need the walking frame again or anything else, physio signed me off", ""},
		{"my grandson's smile is wonky since he lost his front tooth lol", ""},
	})
}

// TestRound79Classes holds the classes read from round 79 (held-out
// 139-141, scored with the session's first build and with a39bf54 before
// it was read).
func TestRound79Classes(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		// Threats, silence as punishment, control of work and contact.
		{"my brother owes money to some lads and now they've said I'm next", Concern},
		{"you're next in the queue at the counter", ""},
		{"when I got my hair cut he didn't speak to me for 6 days", Concern},
		{"my dad won't speak to me for two days after I beat him at scrabble", ""},
		{"had to give up my job at the care home because he said I was flirting", Concern},
		{"I'm texting from work because I can't from home", Concern},
		// Plans told sideways.
		{"made my peace with everyone, now it's just picking the day", Concern},
		{"I'm not saying I'll do anything, I just don't see why I shouldn't", Concern},
		{"just be quick, I don't know how long I'll hold off", Concern},
		{"my sistr is takin all her tablts she says shes had enuf", Urgent},
		{"mum's got dementia, she walked off an hour ago and she's not back, it's freezing", Urgent},
		// Ordinary readings.
		{"need a sitter for mum so I can go to my lad's passing out parade", ""},
		{"it's been years since anyone touched me, even a hug, is there a befriending group", ""},
		{"my granddaughter's reading these out to me, I'm registered blind", ""},
		// The second review's messages (session 48): ordinary words that
		// hid risk, taken out again.
		{"I'm registered blind and my son takes all my pension every week and I never see a penny of it", Urgent},
		{"Mae'r cyn-ŵr yn galw heibio heb rybudd a dwi'n ofni beth wneith o i'r plant", Urgent},
		{"Mae hi ar ben ei hun efo fo a dwi ofn am ei bywyd hi", Urgent},
		{"Dim gobaith efo gwaith na'r tŷ, dwi'n faich ar bawb", Concern},
		{"it's been a week since someone touched me without asking at work and I feel sick", Urgent},
		{"part of me went in the ground when mum died and honestly I'd rather be there with her", Urgent},
		{"The dog walked off with my slippers", ""},
		{"can't hold off much longer on booking the boiler service", ""},
	})
}

// TestCircumstanceIsNotThePast checks that a "when I was ...", "when he
// was ..." or "when we were ..." that tells what was happening when a blow
// fell ({circumstance}) does not mute the finding as a long past, while
// one that tells a time of life still does. Before session 49 every bare
// "when i was" was {past_distant} and muted them all ("he raped me when i
// was asleep" raised nothing); a first fix that listed times of life
// instead brought back many pasts told as over (a review), so the bare
// phrases stay and the circumstances are told apart.
func TestCircumstanceIsNotThePast(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		{"he raped me when i was asleep", Urgent},
		{"he strangled me when he was drunk", Urgent},
		{"he kicked me when I was pregnant, I'm due next month", Urgent},
		{"he pushed me down the stairs when I was holding the baby", Urgent},
		{"my husband hit me when we were at his mum's", Urgent},
		{"he hurt the baby when she was 2 weeks old", Urgent},
		{"he strangled me when i was 8 months pregnant", Urgent},
		{"she hit me when she was 3 glasses of wine in", Urgent},
		{"I'm pregnant with twins and he hits me", Urgent},
		{"I told my husband I was pregnant with our third and he punched me", Urgent},
		{"he strangled me when I was asleep. he used to be so kind", Urgent},
		// A time of life is still a past told as over.
		{"my dad hit us when we were small. hes dead now. had counselling and im okay", ""},
		{"I self harmed when I was at uni, I'm fine now, just want a walking group", ""},
		{"I self harmed when I was in sixth form, that is long behind me now", ""},
		{"my husband hit me when we were first dating, we divorced and I am safe now", ""},
		{"he hit me when i was asleep years ago, he's dead now and I'm fine", ""},
	})
	// A second review (session 49): a pregnancy with a child since born, or
	// a year, tells a past (the model may still ask).
	checkNoRule(t, mustDefault(t), nil,
		"He punched me when I was pregnant with our first, I'm 60 now, it's a distant memory",
		"My ex strangled me when he was drunk, that was 2009",
		// The third review: the past or the year in another sentence.
		"he beat me when he was drunk. We separated in 2009.",
	)
}

// checkNoRule checks that no rule fires on each text (after recent): at
// most the model's own concern, whose score for such words moves with each
// retraining, and never urgent.
func checkNoRule(t *testing.T, s *Screen, recent []string, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if got := s.Check(text, recent).Risk; got.Found() && (got.Tier == Urgent || got.Rule != "model/en") {
			t.Errorf("Check(%q, %q).Risk = %+v, want nothing or the model's concern", text, recent, got)
		}
	}
}

// checkNotUrgent checks that each text is at most a concern: asked about,
// or noted if the model is sure it is ordinary.
func checkNotUrgent(t *testing.T, s *Screen, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if got := s.Check(text, nil).Risk; got.Tier == Urgent {
			t.Errorf("Check(%q).Risk = %+v, want a concern at most", text, got)
		}
	}
}

// TestRopesPlaceAlone checks that where a rope is, said alone or after an
// ordinary message, fires no rule: the context rule needs hopelessness
// before it. The model may still ask (its score for these words sits near
// its threshold, and moves with each retraining), but never urgently.
func TestRopesPlaceAlone(t *testing.T) {
	s := mustDefault(t)
	for _, recent := range [][]string{nil, {"can you help me with the garden group"}} {
		checkNoRule(t, s, recent, "the rope is in the shed")
	}
}

// TestNegationStopsAtAnd checks that a negation does not reach over "and"
// into a new statement ("I cant cope anymore and want to die"), while it
// still reaches over a list ("no thoughts of suicide and self harm").
func TestNegationStopsAtAnd(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		{"I cant cope anymore and want to die", Urgent},
		{"I'm not sleeping and I want to die", Urgent},
		// The fourth review's (session 49).
		{"I can't cope anymore and need to end it", Urgent},
		{"I can't cope and thinking of ending it all", Urgent},
		{"i cant cope n i want to die", Urgent},
	})
	// One negation shared by two verbs (the third review, session 49), and
	// a denied list.
	checkNotUrgent(t, mustDefault(t),
		"I don't sit and think about suicide",
		"I'm not depressed and planning suicide, just skint",
		"I have no thoughts of suicide and self harm",
	)
}

// TestBlowToldInThePresent checks that a blow the person says still
// happens ("my husband still hits me") is now, whatever past it is told
// with: {happening_now} (not muted by {past_distant}) and {recurring}
// (not set aside as a past told as over). The plain present ("he hits
// me", "my dad beats me") is not: "my dad beats me at chess", "my ex hits
// me up" (a review, session 49).
func TestBlowToldInThePresent(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		{"My dad beat me when I was a kid. He still hits me now I'm 30", Urgent},
		{"I was abused as a child and I'm ok now but my husband still hits me", Urgent},
		{"he still hits me like he used to", Urgent},
		{"my dad beats me at chess, I used to win when I was a kid", ""},
		{"my ex used to beat me, I left him years ago and I'm happy now", ""},
	})
}

// TestPastNotPointedBack checks that a sentence opening "It was ..." or
// "That was ..." does not place the sentence before it in the past: a
// reading that did (session 50) set aside overdoses taken now beside any
// past and any good end ("It was my wedding anniversary years ago, we were
// so happy then"), and was taken out after a review.
func TestPastNotPointedBack(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		{"Took 30 paracetamol an hour ago. It was my wedding anniversary years ago, we were so happy then", Urgent},
		{"I want to hang myself. That was my plan years ago and I'm fine now", Urgent},
		{"Got the rope ready in the garage. It was my grandads garage when I was little, happy days", Urgent},
		{"My wife has collapsed. It was her heart years ago, she's been fine since", Urgent},
	})
}

// TestDeniedAfterwards checks that a whole denial said after the texter's
// own act lowers an urgent finding to a concern, and that words that only
// begin like one, or another's act, do not (session 50's review).
func TestDeniedAfterwards(t *testing.T) {
	s := mustDefault(t)
	checkTiers(t, s, []tierCase{
		{"hurting myself isn't something I'd do", Concern},
		{"self harm isn't something i'd do", Concern},
		{"Killing myself is something I think about every day", Urgent},
		{"my kids deserve a mum who isnt me", Urgent},
		{"Jumping off the bridge is not something i would do lightly, ive planned it for weeks", Urgent},
		{"Hurting myself isn't something I can stop, I do it every night", Urgent},
		{"Killing myself is not an option for me, it's the only option", Urgent},
		{"killing myself is the last thing i would do before my son turns 18, so i've got 2 weeks", Urgent},
		// A second review: whatever follows may take the denial back, and a
		// sign of now elsewhere outranks it.
		{"jumping off the bridge is not something i would do. i'm on it now though", Urgent},
		{"killing myself is off the table. for now", Urgent},
		{"hanging myself isnt something id do. too messy", Urgent},
		{"Until this week killing myself never crossed my mind", Urgent},
		// A third review: the act must open its clause to be what is
		// denied.
		{"Telling anyone I want to kill myself is not something I'd do", Urgent},
		{"Going to A&E after taking 30 pills is not something i'd do", Urgent},
	})
}

// TestWelshPastToldAsOver checks that the Welsh file reads a past told as
// over as the English one does: an urgent finding set aside, the texter's
// own past attempt still asked about, and a past that is back still urgent.
func TestWelshPastToldAsOver(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		// "rŵan" (now) outside an end said outright is now (a third
		// review), so an age given as now keeps it urgent.
		{"Nes i drio lladd fy hun pan o'n i'n 18. Dwi'n 40 rŵan ac yn iawn.", Urgent},
		{"Nes i drio lladd fy hun flynyddoedd yn ôl ond dwi'n iawn rŵan", Concern},
		{"Nes i drio lladd fy hun flynyddoedd yn ôl", Urgent},
		{"Nes i drio lladd fy hun pan o'n i'n 18. Dwi'n meddwl amdano eto heno", Urgent},
		{"Dwi isio lladd fy hun", Urgent},
		// A review: present or lasting words are not a past, nor is
		// wanting it over a good end.
		{"Dwi yn y coleg a dwi isio lladd fy hun. Dwi isio i bopeth fod drosodd.", Urgent},
		{"Mae fy ngŵr yn fy nharo i ers deg mlynedd. Dwi isio iddo fod drosodd.", Urgent},
		{"Dwi wedi bod yn isel ers talwm, ac ar ben hynny dwi isio lladd fy hun", Urgent},
		// A second review: an abuser back, or the means at hand, is now.
		{"Dwi'n saff rŵan. Flynyddoedd yn ôl roedd o'n fy nghuro i. Mae o'n ôl yn y tŷ heddiw", Urgent},
		{"Pan o'n i'n 16 nes i drio lladd fy hun, dwi'n iawn rŵan ond dwi'n sefyll ar y bont", Urgent},
		{"Flynyddoedd yn ôl nes i drio crogi fy hun a dwi'n iawn, ond mae gen i raff yn y garej", Urgent},
		// The texter's own past self-harm stays a concern (a fourth
		// review found it set aside to nothing).
		{"Pan o'n i'n 15 nes i dorri fy hun, dwi'n iawn rŵan", Concern},
		{"Nes i hunan-niweidio pan o'n i'n 14 ac yn iawn rŵan", Concern},
	})
	// Another's (or an animal's) attempt is not the texter's own.
	if got := mustDefault(t).Check("Ma'r ddafad 'ma di trio lladd ei hunan yn y ffens ddwywaith heddi", nil).Risk; got.Rule == "suicide/cy-own-past-attempt" {
		t.Errorf("a sheep's attempt read as the texter's own: %+v", got)
	}
}

// TestWelshThingKillingMe checks that a person "killing me" in Welsh is
// urgent however the sentence is typed.
func TestWelshThingKillingMe(t *testing.T) {
	s := mustDefault(t)
	checkTiers(t, s, []tierCase{
		{"Mae o'n lladd fi", Urgent},
		{"Ma'r gŵr 'ma'n lladd fi", Urgent},
		{"Mae'n lladd fi", Urgent},
		{"mae Dafydd yn lladd fi", Urgent},
		{"Mae Rhys yn fy nghuro i ac yn lladd fi", Urgent},
		{"Ers i fi golli fy swydd mae fy ngŵr yn lladd fi", Urgent},
		{"Mae'r ddynes drws nesa yn lladd fi", Urgent},
		{"Ma'r ddynes 'ma'n lladd fi", Urgent},
		// A second review: "'ma'n" and "mae'n" read alike, so an idiom
		// of "mae yn lladd fi" blanked "he's killing me"; the things are
		// listed in the unless list instead.
		{"Plis helpa fi mae'n lladd fi", Urgent},
		{"Dwi'n cuddio yn y stafell molchi, mae'n lladd fi", Urgent},
	})
	// A thing "killing me" in Welsh stays urgent: an idiom read
	// "mae'n lladd fi" as one, and an unless entry ("shifft nos ~ yn
	// lladd fi") muted a blow in the same sentence (session 50's reviews).
	checkTiers(t, s, []tierCase{
		{"Mae'r shifft nos yn lladd fi ac mae fy ngŵr yn fy nharo", Urgent},
	})
}

// TestSomeoneElseInDangerNow checks that another person overdosing,
// collapsing or seizing now is urgent: "{other_person} ~ overdosed" muted
// every other person's overdose as grief, and the concept's "collapsed"
// and "seizure" did not reach "is collapsing", "is seizing" (session 50's
// review).
func TestSomeoneElseInDangerNow(t *testing.T) {
	s := mustDefault(t)
	checkTiers(t, s, []tierCase{
		{"my husband has overdosed", Urgent},
		{"he has overdosed", Urgent},
		{"my dad is collapsing", Urgent},
		{"my son is seizing and wont stop", Urgent},
		{"Got checked for an allergy. Just ate a peanut and my throat is closing up", Urgent},
		{"my dad's overdosed", Urgent},
		{"my son's overdosing", Urgent},
		{"my son has started seizing again", Urgent},
		{"i keep having omicidal thoughts about my dad", Urgent},
	})
	for _, text := range []string{
		"my husband is collapsing the boxes for recycling",
		"my brother is seizing the day haha",
		"my son is overdosing on sugar again haha",
	} {
		if got := s.Check(text, nil).Risk; got.Tier == Urgent {
			t.Errorf("Check(%q) = %+v: a literal use read as an emergency", text, got)
		}
	}
	checkNoRule(t, s, nil,
		"The new boiler was a cost to everyone in the building",
		"Is the bus pass a cost to the family or free?",
	)
	for _, text := range []string{
		"Lad from my school killed himself on his motorbike last night, he was my age",
		"he nearly killed himself laughing, I get why it was funny though",
	} {
		if got := s.Check(text, nil).Risk; got.Rule == "suicide/family-suicide-now" {
			t.Errorf("Check(%q) = %+v: an accident or a figure of speech read as a relative's suicide", text, got)
		}
	}
}

// TestQuestionThenItsReason checks that a height question stays research
// into a means whatever reason follows it: a reason in the next sentence
// was tried (session 50) and taken out after two reviews ("How high is the
// bridge? Clearance for my caravan. Will it kill me if I jump").
func TestQuestionThenItsReason(t *testing.T) {
	s := mustDefault(t)
	checkTiers(t, s, []tierCase{
		{"How high is the Humber bridge? I want it to be quick", Urgent},
		{"My grandson asked me today how many of my tablets would kill a person. He said it was for school", Urgent},
		{"How deep does the Waveney get under the bridge at Bungay in winter. Asking for a reason", Urgent},
		// A third review: reasons someone at risk gives.
		{"how high is the tower block, will i die if i jump. I will climb it tonight", Urgent},
		{"how high is the bridge? need to know if my body would fit under the railing", Urgent},
		{"How high is the bridge? Clearance for my caravan. Will it kill me if I jump", Urgent},
	})
}

// TestManagedConditionWithRelief checks that a known condition the texter
// looked after sets a medical finding aside only with relief said, and
// never when something speaks of now (session 50's second review).
func TestManagedConditionWithRelief(t *testing.T) {
	s := mustDefault(t)
	checkTiers(t, s, []tierCase{
		{"husband has angina, chest pain 20 mins, used his gtn spray twice no change", Urgent},
		{"chest pain, its my angina, had my spray", Urgent},
		{"asthma attack, used my inhaler 10 times", Urgent},
		{"its my asthma i think, inhaler isnt doing much, chest so tight", Urgent},
		{"chest pain, it's my angina, had my spray, it's not settling", Urgent},
		{"her epilepsy isn't controlled and she's had 3 seizures today", Urgent},
		{"my son just had his first ever seizure, its stopped now", Urgent},
		{"Its her asthma, she's had the inhaler but she's sat bolt upright and cant finish a sentence", Urgent},
		{"he had a fit, is that all fine?", Urgent},
		{"my son had his first seizure ever, he's back to himself now", Urgent},
	})
	checkNoRule(t, s, nil,
		"chest is tight, its the asthma, had my inhaler, settling now",
		"chest feels tight, think its my asthma with the cold, used my inhaler and its eased. need a repeat",
	)
}

// TestWelshPlainRisk checks Welsh risk a review found missed: a number of
// tablets taken, better off dead, how many tablets would kill.
func TestWelshPlainRisk(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		{"Dwi wedi cymryd 30 o dabledi paracetamol", Urgent},
		{"Byddai'n well taswn i wedi marw", Urgent},
		{"Faint o paracetamol fyddai'n lladd rhywun?", Urgent},
	})
}

// TestDroppedHListed checks the listed dropped-h words of hanging and
// hurting, and that "angin" (a dialect word: disgusting, hungover) is not
// read as "hanging" (session 50's fourth review).
func TestDroppedHListed(t *testing.T) {
	s := mustDefault(t)
	checkTiers(t, s, []tierCase{
		{"anging myself is the only option", Urgent},
		{"he keeps urtin me", Urgent},
	})
	if got := s.Check("I look angin myself in that photo", nil).Risk; got.Tier == Urgent {
		t.Errorf("'angin' read as hanging: %+v", got)
	}
}

// TestPartnerNeedsToKnow checks that a partner needing to know where the
// texter is, or every detail, is asked about; "they need to know where I
// live for the referral" is not control (a review: {abuser} holds "they",
// "someone" and "boss", so this is a concern of its own, for a partner).
func TestPartnerNeedsToKnow(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		{"he just needs to know where I am every minute", Concern},
		{"he insists on knowing where I am", Concern},
		{"my husband needs to know every detail of my day", Concern},
		{"They need to know where I live for the referral", ""},
		{"he has to know where i am", Urgent},
	})
}

// TestRashUnderAGlass checks the glass test: a rash that does not fade
// under a glass is a medical emergency; one that fades is not, nor a glass
// knocked over.
func TestRashUnderAGlass(t *testing.T) {
	s := mustDefault(t)
	for _, text := range []string{
		"she's hot and confused and has a rash that doesnt go when I press a glass on it",
		"rash not fading with a glass over it",
		"the rash is still there when I pressed the glass on it",
		"purple rash doesn't go pale under a glass, she's not herself",
	} {
		if got := s.Check(text, nil).Risk; got.Tier != Urgent || got.Category != Medical {
			t.Errorf("Check(%q) = %+v, want an urgent medical finding", text, got)
		}
	}
	checkTiers(t, s, []tierCase{
		{"my son's got a rash but it fades when I press a glass on it, should I get him in the GP tomorrow", ""},
		{"the rash isn't itchy, and I knocked the glass over on it", ""},
	})
}

// TestWelshRound86 checks Welsh wording from the round-86 development sets:
// fear if he finds out they texted (a concern: "os ffeindith Mam" may be a
// surprise party).
func TestWelshRound86(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		{"os ffeindith e mas bo fi di tecsto chi, dwi'n gwbod beth ddigwyddith", Concern},
	})
}

// TestKilledIsNotKilledMyself checks that "i unalived" (read as "i
// killed") is not a phrase on its own: "i killed the spider" is ordinary.
func TestKilledIsNotKilledMyself(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		{"i killed the spider", ""},
		{"I killed all the zombies on my game.", ""},
		{"if ur reading this just know i unalived", Urgent},
		{"tbh everyone would b better off if i unalived", Urgent},
		{"tbh if i unalived rn no one would even clock it", Urgent},
	})
}

// TestWelshEverydayWordsInTheirClause checks that Welsh everyday words
// ({not_risk_here}: late, the form, the doctor, live in the) mark only their
// own clause as ordinary: plain risk in another clause is still risk.
func TestWelshEverydayWordsInTheirClause(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		{"Dwi isio lladd fy hun, dwi'n byw yn y fflat ar ben fy hun", Urgent},
		{"dwi isio marw, mae hi'n hwyr a does neb yma", Urgent},
		{"Dwi isio lladd fy hun, mae'r meddyg yn gwybod", Urgent},
		{"Bydd Mam yn fy lladd i os fi'n hwyr 'to", ""},
		// A first-aid course named beside an emergency (the third review):
		// the course mutes only its own clause, and a lesson's "what to do
		// if someone..." its sentence.
		{"mae fy ngŵr yn methu anadlu, nes i gwrs cymorth cyntaf llynedd", Urgent},
		{"Nes i'r cwrs cymorth cyntaf ond mae'r babi wedi llyncu batri, help", Urgent},
		{"Dwi isio lladd fy hun, mae fy iechyd meddwl yn ofnadwy", Urgent},
		{"wedi gorffen y cwrs cymorth cyntaf, dysgu be i neud os ma rhywun yn tagu", ""},
	})
}

// TestUnaliveWithoutAnObject checks that "unalive" with no object is the
// texter's own death, and its misspellings are read as it.
func TestUnaliveWithoutAnObject(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		{"i nearly unalived last week", Urgent},
		{"tried to unalive", Urgent},
		{"ima unalive", Urgent},
		{"might unalive tonight", Urgent},
		{"i unalivd myself", Urgent},
		{"i un alived myself", Urgent},
	})
}

// TestWhatTheTexterWasDoing checks that "when I was alone / feeling low"
// tells what the texter was doing or feeling, not a distant past that
// mutes their own act; a time of life still places it in the past.
func TestWhatTheTexterWasDoing(t *testing.T) {
	checkTiers(t, mustDefault(t), []tierCase{
		{"I took an overdose when I was feeling low, can you help me with the housing form", Urgent},
		{"I swallowed a bottle of pills when I was alone in the flat, sorry can you help me fill in the housing form", Urgent},
		{"I took an overdose when I was feeling low years ago, I'm fine now and have been for 10 years", ""},
	})
}

// TestRound86Phrases checks the phrases session 51 added from its
// development sets and reviews, each with an ordinary line that shares
// its words where the reviews found one.
func TestRound86Phrases(t *testing.T) {
	s := mustDefault(t)
	checkTiers(t, s, []tierCase{
		{"My wages go into his account. I do 50 hours at the packhouse and never see a penny", Concern},
		{"Please make sure nobody rings this number. If he sees it I'm in trouble, the real kind", Concern},
		{"I'll have to reply later, he likes to be there when I'm on my phone.", Concern},
		{"I've stopped going to choir because it's easier than the questions when I get back", Concern},
		{"he said i'll be sorry if i leave", Urgent},
		{"sometimes I hope the minibus crashes on the way to the fields", Concern},
		{"Feel like I'm waiting for something to take me. Getting impatient.", Concern},
		{"When Dad died I nearly did something. It's his anniversary Sunday", Concern},
		{"I'd like the link worker to contact my daughter after, she'll need help with the little ones. I'm not going to be around", Concern},
		{"the house will be empty tonight so I'm going to do it", Urgent},
		{"got a headache, worst I've ever had, came on all at once when I was lifting", Urgent},
		// Said to be over, then the same feeling now.
		{"I tried to end my life in 2009, I got my life back, and I feel exactly the same as then", Urgent},
		{"Bleeding the radiators today, anyone know which way the key turns?", ""},
		{"Anyone know how to kill the ivy coming in through the bathroom window?", ""},
		{"ngl im cooked after work, can we do the call tmrw", ""},
		{"Honestly no. I know how my last message read but I was just tired and typing fast", ""},
		{"os ffeindith e mas bo fi di tecsto chi am ei barti pen-blwydd, syrpreis", ""},
	})
	// A bus that takes me home is no wish to be taken; the model may still ask.
	if f := s.Check("waiting for the bus to take me home", nil).Risk; strings.HasPrefix(f.Rule, "suicide/") {
		t.Errorf("waiting for the bus: %+v, want no suicide rule", f)
	}
	// "sorry" alone was a threat ({kill_threat}); the model may still ask.
	if f := s.Check("sorry if i go quiet for a bit", nil).Risk; strings.HasPrefix(f.Rule, "abuse/") {
		t.Errorf("sorry if i go quiet: %+v, want no abuse finding", f)
	}
}

// TestRound88Phrases holds a case for each class round 88's development
// sets showed that was kept after two reviews, and for the near risk the
// reviews found the first versions hid (docs/safety.md, "Round 88").
func TestRound88Phrases(t *testing.T) {
	s := mustDefault(t)
	checkTiers(t, s, []tierCase{
		// Everyday senses, narrowed to words that cannot belong to a risk.
		{"our student house has had no hot water for 9 days and the agency won't answer my calls", ""},
		{"mum won't answer the door and she's diabetic", Urgent},
		{"the landlord isnt answering the door, lives alone downstairs, can smell gas", Urgent},
		{"proper mashed last night, head's banging", ""},
		{"I keep banging my head on the wall", Urgent},
		{"bruv i got battered at fifa last nite", ""},
		{"Housing association say I'm overcrowded but can't move us for 2 years", ""},
		{"cant move, house is on fire, im stuck upstairs", Urgent},
		// An emergency now overrules a check-up frame, as it does a funeral.
		{"he has collapsed at his asthma review", Urgent},
		{"had my asthma review today, all fine", ""},
		// Near risk the first versions hid.
		{"took £20 worth of pills", Urgent},
		{"i took £30 from my wages drawer and took loads of tablets", Urgent},
		{"better off dead, leaves less mess for everyone", Urgent},
		{"i'd rather join the dead, grass can grow over me", Urgent},
		{"dad has fallen and cant move on his own", Urgent},
		{"i cut my wrist support worker is coming tomorrow", Urgent},
		{"my lad jumped off the deep end and he cant swim help", Urgent},
		{"i'm not thinking about ending my life but i dont want to be here", Urgent},
		{"my son keeps cutting himself, hes a total 🧟 all day", Urgent},
		{"i smacked my son for running into the road", Urgent},
		{"my toddler took extra tablets by accident, found the empty blister pack", Urgent},
		// Risk.
		{"I hit my granddaughter yesterday, hard. I don't know what's happening to me", Urgent},
		{"my grandson is cutting himself 🩸", Urgent},
		{"idontwanttobealiveanymore", Urgent},
		{"My ex nearly killed me 2 years ago. He's just been released and he's moved back to Melton", Concern},
		{"I'm not going to do anything silly today. Tomorrow I don't know", Concern},
		{"It's my last shift tomorrow. Last anything really", Concern},
		{"I feel like I've outlived my usefulness", Concern},
		{"i'm fine, honestly. i just don't plan on getting old", Concern},
		{"I'm going to stop pretending and then nobody will have to worry about me", Concern},
		{"Came home from Afghanistan in one piece and some days I wish I hadn't", Concern},
		{"i need my safety plan, things are bad again", Concern},
		{"Spent the weekend recording little videos for the grandkids for their birthdays, up to 18", Concern},
		{"o'n i'n meddwl bo fi'n well ar ôl y tro dwetha yn yr ysbyty. ond na. ma'r un meddylie 'nôl", Concern},
		{"Dwi isio mynd nôl i'r coleg, yn ôl y dyddiadur mae'r cwrs yn dechrau mis Medi", ""},
	})
}

// TestRound89Phrases holds a case for each class round 89's development
// sets showed (docs/safety.md, "Rounds 88-89").
func TestRound89Phrases(t *testing.T) {
	s := mustDefault(t)
	checkTiers(t, s, []tierCase{
		{"What is there to get up for. Empty cafe, empty flat, empty me.", Concern},
		{"found a site that tells you how. bookmarked it", Concern},
		{"When I lose in ranked I do something to my leg so I feel it", Concern},
		{"i didnt mean to cut that deep", Urgent},
		{"Jean always said we'd go together. She went first and I'm just hanging about now", Concern},
		{"I'm allowed one phone call to my mum a week and he sits next to me for it", Concern},
		{"She'll be sorting things out after me. Her number's on the surgery file", Concern},
		{"Had to pick the coffin today. Oak. He'd have moaned about the price.", ""},
		{"cut myself a proper slab of the Victoria sponge at the lunch club", ""},
		{"I cut myself a bit last night", Urgent},
		{"Wi wedi llosgi'r tost 'to, ma'r larwm tân yn sgrechen 😂", ""},
		// Gone from one's life is not a wish not to live.
		{"I used to self harm as a teenager. I'm 40 now and it's not part of my life anymore, just mentioning it for my notes", ""},
		{"Will the school see any of this? I dont want it going on his record", ""},
		{"No part of my life is worth living anymore", Urgent},
		{"i dont want to be part of this life anymore", Urgent},
	})
}

// TestMigraineInPregnancy: flashing lights with migraines always had are
// never urgent in pregnancy; the model may ask about them.
func TestMigraineInPregnancy(t *testing.T) {
	r := mustDefault(t).Check("I'm pregnant and I get flashing lights with my migraines, always have", nil)
	if r.Risk.Tier == Urgent {
		t.Errorf("a migraine always had: %+v, want no urgent finding", r.Risk)
	}
}

// Round 90's development sets (dev247-254) and its review: a compulsion
// or a complaint is not a denial ("can't stop cutting myself", "he won't
// stop hitting me", "I can't cope, I want to die"), going to a high place
// to jump, a birthday one does not mean to see, hoping not to wake, and
// ordinary lines that shared their words.
func TestRound90Phrases(t *testing.T) {
	s := mustDefault(t)
	checkTiers(t, s, []tierCase{
		{"I can't stop cutting myself", Urgent},
		{"i cant stop self harming", Urgent},
		{"i'll never stop hurting myself", Urgent},
		{"he won't stop hitting me", Urgent},
		{"I can't stop crying", ""},
		{"I'm going to the bridge and jumping", Urgent},
		{"Dropping the baby at my mums then I'm going up the top of the car park in town and jumping", Urgent},
		{"going to the river and jumping in for a swim with the lads", ""},
		{"ain't even tryna see my 18th lol", Concern},
		{"Couldn't care less if I lived or died at this point", Concern},
		{"tryna find a way out for good, not like moving out lol", Concern},
		{"mum fell not waking", Urgent},
		{"cnat breathe", Urgent},
		{"Nath o afael yn 'y ngwddw i neithiwr. Dwi'n iawn.", Urgent},
		{"Looking for a job that isn't nights. Done 10 years at the chicken factory and my back's had it", ""},
		{"done 10 years of this, took 30 tablets", Urgent},
		{"done 12 weeks worth of my tablets", Urgent},
		{"collected from boots 4 boxes of paracetamol", Urgent},
		{"I want to self harm", Urgent},
		{"had a self harm assessment and i still want to cut", Urgent},
		{"Dwi'n byw ym Mangor ar ben fy hun a dwi isio marw", Urgent},
		// The round's review: a complaint is not a denial of what follows it.
		{"i cant cope i want to die", Urgent},
		{"i cnat tell anyone he rapes me", Urgent},
		{"i cnat go back he will kill me", Urgent},
		{"ive not stopped taking the blood thinners", ""},
		{"nan fell asleep in her chair and shes not waking for her tea lol", ""},
		{"kids are going to the pier and jumping off today", ""},
		{"debt advice gave me a way out for good", ""},
		{"never thought id reach my 80th", ""},
		// dev252-254
		// The third review: after what the person cannot do, the person
		// named again starts a new statement.
		{"i cant think i want to die", Urgent},
		{"cant sleep im going to end it", Urgent},
		{"i cant focus want to end it", Urgent},
		{"i cant escape him he hits me", Urgent},
		{"I can't sleep but I'm not going to hurt myself", Concern},
		{"I don't think I want to die", Concern},
		{"i cant wait to die", Urgent},
		{"honestly cant wait to be dead", Urgent},
		// A verb of its own after "can't" is what the person cannot do;
		// softeners and thoughts leave it a denial.
		{"i cant breathe properly want to die", Urgent},
		{"cant think going to kill myself tonight", Urgent},
		{"I can't bring myself to hurt myself", Concern},
		{"i couldnt ever hurt myself", Concern},
		{"i cant remember ever wanting to die", Concern},
		{"I can't kill myself, I have kids", Concern},
		{"dont care anymore want to end it", Urgent},
		{"i dont belong anywhere going to end it tonight", Urgent},
		{"I don't care anymore, I'm not going to hurt myself though", Concern},
		{"dwi isio lladd 'y hun heno", Urgent},
		{"mynd i'r dre ar ben 'y hun", ""},
		{"sleeping 14 hours a day because awake is worse, and I sort of hope one day I just don't wake", Concern},
		{"had a bath and a cuppa, baby monitor is on, hope i dont wake", ""},
		{"fingers crossed she doesn't wake", ""},
		{"If I'm not at my shift tomorrow please ring the police", Concern},
		{"if i am not in please ring the police about the dog next door barking", ""},
		{"I'm going up the multi storey and jumping", Urgent},
		{"my son keeps going to the bridge and jumping off", Concern}, // not the texter: the rules leave it, the model asks
		{"i cnat go on i want to die", Urgent},
		{"cnat stand him he hits me", Urgent},
		{"no points living i want to die", Urgent},
		{"gonna unalive myself this weekend", Urgent},
		{"paid poeni amdana fi ar ôl wsnos nesa", Urgent},
	})
}
