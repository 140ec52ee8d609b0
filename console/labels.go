package console

import (
	"errors"
	"html"
	"html/template"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/templates"
)

// Staff see words, not the codes the data is kept under: a need as people
// were offered it ("Mental wellbeing, stress, low mood", not
// mental_wellbeing), a questionnaire by its flow's title ("ONS4 personal
// wellbeing", not ons4), an audit action as what was done. Exports (CSV,
// JSON) keep the codes: other systems read them.

// builtinTemplates is the built-in message catalogue, for the needs'
// labels (need.<value>, the words the self-referral offers).
var builtinTemplates = sync.OnceValue(func() *templates.Catalogue {
	c, err := templates.Load(nil)
	if err != nil {
		return nil
	}
	return c
})

// needLabel is a need as people are offered it.
func needLabel(need string) string {
	if c := builtinTemplates(); c != nil {
		if s, err := c.Render(templates.DefaultLocale, "need."+need, nil); err == nil && s != "" {
			return s
		}
	}
	return humanize(need)
}

// needLabels is needs in words, joined.
func needLabels(needs []string) string {
	out := make([]string, len(needs))
	for i, n := range needs {
		out[i] = needLabel(n)
	}
	return strings.Join(out, "; ")
}

// knownNeeds are the needs the self-referral offers (the catalogue's
// need.* messages), for the referrals filter.
func knownNeeds() []string {
	c := builtinTemplates()
	if c == nil {
		return nil
	}
	var out []string
	for _, k := range c.Keys(templates.DefaultLocale) {
		if n, ok := strings.CutPrefix(k, "need."); ok && n != "other" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// itemLabels name a questionnaire's items as staff know them.
var itemLabels = map[string]string{
	"ons4/satisfied": "Life satisfaction", "ons4/worthwhile": "Things done are worthwhile",
	"ons4/happy": "Happiness yesterday", "ons4/anxious": "Anxiety yesterday",
	"ons-loneliness/companionship": "Lack of companionship", "ons-loneliness/left_out": "Feeling left out",
	"ons-loneliness/isolated": "Feeling isolated from others", "ons-loneliness/lonely": "How often lonely",
	"carer-checkin/how": "How they are", "carer-checkin/time_for_self": "Time for themselves",
	"carer-checkin/needs": "What they need", "carer-checkin/wants_call": "Wants a call",
	"census-carer/carer": "Gives unpaid care",
	"/" + chartTotalKey:  "Total", "/" + chartMetric: "Score",
}

// itemLabel is item key of instrument inst in words.
func itemLabel(inst, key string) string {
	if s, ok := itemLabels[inst+"/"+key]; ok {
		return s
	}
	if s, ok := itemLabels["/"+key]; ok {
		return s
	}
	return humanize(key)
}

// instrumentLabel is instrument inst by its flow's title.
func (c *Console) instrumentLabel(inst string) string {
	if f := instrumentFlow(c.flowSet(), inst); f != nil && f.Title != "" {
		return f.Title
	}
	return humanize(inst)
}

// actionLabels say what an audit action was.
var actionLabels = map[bot.AuditAction]string{
	bot.AuditLogin: "Signed in", bot.AuditLoginFailed: "Sign-in failed", bot.AuditLogout: "Signed out",
	bot.AuditView: "Opened a record", bot.AuditReply: "Replied", bot.AuditClaim: "Claimed a handoff",
	bot.AuditTakeOver: "Took over from the bot", bot.AuditReachable: "Tried a channel again",
	bot.AuditResolve: "Resolved a handoff", bot.AuditUserAdded: "Added a user", AuditExport: "Exported",
	"user.disable": "Disabled a user", "user.enable": "Enabled a user", "user.password": "Set a password",
	"user.mfa-reset": "Reset a second step", AuditMFAEnrolled: "Set up a second step",
	AuditMFAFailed: "Second step failed", AuditMFARecoveryUsed: "Used a recovery code",
	"canned.saved": "Saved canned replies", auditHoursSaved: "Saved service hours", "note": "Added a note",
	"referral.status": "Changed a referral's status", "contact.created": "Added a contact", "enrol": "Enrolled someone",
	AuditAssign: "Assigned a handoff", bot.AuditSignpost: "Sent a local service", bot.AuditErase: "Erased a person's records",
	AuditReport: "Downloaded a report", "search": "Searched for a person",
	"checkin.added": "Scheduled a check-in", "checkin.pause": "Paused a check-in", "checkin.resume": "Resumed a check-in",
	"checkin.remove": "Removed a check-in",
}

// actionLabel is an audit action in words (the code itself when new).
func actionLabel(a bot.AuditAction) string {
	if s, ok := actionLabels[a]; ok {
		return s
	}
	return humanize(string(a))
}

// humanize writes a code as words: "time_for_self" as "Time for self".
func humanize(code string) string {
	s := strings.Join(strings.FieldsFunc(code, func(r rune) bool { return r == '_' || r == '-' || r == '.' }), " ")
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// contactLabel is what the console calls a person who gave no name: how
// they reach the service and the end of their number, not an internal id.
func contactLabel(ct *bot.Contact) string {
	if ct.Name != "" {
		return ct.Name
	}
	if len(ct.Addresses) == 0 {
		return "Unnamed (not connected yet)"
	}
	a := ct.Addresses[0]
	if len(a.ID) > 4 && strings.IndexFunc(a.ID, func(r rune) bool { return !unicode.IsDigit(r) && r != '+' }) < 0 {
		return "Unnamed (" + channelLabel(a.Channel) + " ending " + a.ID[len(a.ID)-4:] + ")"
	}
	return "Unnamed (" + channelLabel(a.Channel) + ")"
}

// channelLabel is a channel as staff call it.
func channelLabel(ch bot.Channel) string {
	switch ch {
	case bot.SMS:
		return "SMS"
	case bot.Telegram:
		return "Telegram"
	case bot.WhatsApp:
		return "WhatsApp"
	case bot.Sim:
		return "the simulator"
	}
	return humanize(string(ch))
}

// breakable lets a long address or detail wrap at its punctuation (after
// "@", ".", "&", "=", "/", "_", ",") on a narrow screen, rather than
// breaking a word in the middle or pushing the page sideways.
func breakable(s string) template.HTML {
	var b strings.Builder
	for i, r := range s {
		b.WriteString(html.EscapeString(string(r)))
		if strings.ContainsRune("@.&=/_,", r) && i+1 < len(s) && s[i+1] != ' ' {
			b.WriteString("<wbr>")
		}
	}
	return template.HTML(b.String()) // each character escaped above
}

// peopleNames names the people an audit page lists, looked up once each.
type peopleNames map[string]string

// Name is the person with contact id in words (contactLabel), or "a
// person since erased".
func (p peopleNames) Name(id string) string { return p[id] }

func lookupPeople(tx bot.Tx, ids []string) (peopleNames, error) {
	p := peopleNames{}
	for _, id := range ids {
		if _, ok := p[id]; ok {
			continue
		}
		ct, err := tx.Contact(id)
		switch {
		case errors.Is(err, bot.ErrNotFound):
			p[id] = "A person since erased"
		case err != nil:
			return nil, err
		default:
			p[id] = contactLabel(ct)
		}
	}
	return p, nil
}

// flowTitle is a check-in flow by its name.
func flowTitle(id string) string {
	for _, f := range checkinFlows {
		if f.ID == id {
			return f.Title
		}
	}
	if f := builtinFlows(); f != nil {
		if fl, _ := f.Flow(id); fl != nil && fl.Title != "" {
			return fl.Title
		}
	}
	return humanize(id)
}
