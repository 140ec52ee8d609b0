package console

import (
	"testing"

	"github.com/linkline/linkline/bot"
)

func TestLabels(t *testing.T) {
	for _, c := range []struct {
		name, got, want string
	}{
		{"need from the messages", needLabel("mental_wellbeing"), "Mental wellbeing, stress, low mood"},
		{"unknown need", needLabel("long_term_thing"), "Long term thing"},
		{"item", itemLabel("ons4", "satisfied"), "Life satisfaction"},
		{"total of any instrument", itemLabel("my-survey", "total"), "Total"},
		{"unknown item", itemLabel("my-survey", "time_for_self"), "Time for self"},
		{"action", actionLabel(bot.AuditView), "Opened a record"},
		{"unknown action", actionLabel("thing.done"), "Thing done"},
		{"empty code", humanize(""), ""},
		{"sentence", sentence("say why you need the export: it is recorded"), "Say why you need the export: it is recorded."},
		{"sentence kept", sentence("Done?"), "Done?"},
		{"named", contactLabel(&bot.Contact{ID: "c7", Name: "Sam"}), "Sam"},
		{"unnamed by SMS", contactLabel(&bot.Contact{ID: "c7", Addresses: []bot.Address{{Channel: bot.SMS, ID: "+447700900111"}}}), "Unnamed (SMS ending 0111)"},
		{"unnamed on Telegram", contactLabel(&bot.Contact{ID: "c7", Addresses: []bot.Address{{Channel: bot.Telegram, ID: "chat-42x"}}}), "Unnamed (Telegram)"},
		{"not connected", contactLabel(&bot.Contact{ID: "c7"}), "Unnamed (not connected yet)"},
		{"asked again about being safe", funcs["safetyAnswer"].(func(string) string)(bot.SafetyAnsweredInstead), "with a number answering the earlier question, so they were asked once more"},
		{"breakable", string(breakable(`a.b@c.org <x> "y"`)), `a.<wbr>b@<wbr>c.<wbr>org &lt;x&gt; &#34;y&#34;`},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
}
