package flows_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/templates"
)

func TestBuiltinFlowsPassCheck(t *testing.T) {
	cat, err := templates.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	set, err := flows.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := set.Check(cat, flows.CheckOptions{}); len(p) > 0 {
		t.Fatalf("built-in flows have problems: %v", p)
	}
	for _, p := range set.Check(cat, flows.CheckOptions{Warnings: true}) {
		if !p.Warning {
			t.Errorf("built-in flow has a problem: %v", p)
		}
	}
}

// good is a valid flow; each case below breaks it one way.
const good = `
id: t
start: ask
states:
  ask:
    say: [referral.ask_contact_method]
    expect: choice
    save: how
    options:
      - {value: text, label: contact.text}
      - {value: phone, label: contact.phone}
    on: {text: done, phone: done}
  done: {say: [referral.ask_name], final: true}
`

func TestCheckFindsProblems(t *testing.T) {
	cases := []struct {
		name, flow, want string
	}{
		{"valid", good, ""},
		{"unknown target", strings.Replace(good, "phone: done}", "phone: nowhere}", 1), `state ask: leads to unknown state "nowhere"`},
		{"unreachable", good + "  lonely: {say: [referral.ask_name], final: true}\n", "state lonely: cannot be reached"},
		{"dead end", strings.Replace(good, "final: true", "expect: text", 1), "state done: has no way out"},
		{"choice without transition", strings.Replace(good, ", phone: done}", "}", 1), `state ask: choice "phone" has no transition`},
		{"missing template", strings.Replace(good, "contact.phone", "contact.pigeon", 1), `template key "contact.pigeon" does not exist`},
		{"bad start", strings.Replace(good, "start: ask", "start: begin", 1), `start state "begin" does not exist`},
		{"unknown answer kind", strings.Replace(good, "expect: choice", "expect: colour", 1), `unknown answer kind "colour"`},
		{"unknown action", strings.Replace(good, "final: true}", "final: true, actions: [{do: fly}]}", 1), `unknown action "fly"`},
		{"on key not an answer", strings.Replace(good, "{text: done,", "{txt: done, text: done,", 1), `on: "txt" is not an answer`},
		{"too many segments", strings.Replace(good, "[referral.ask_name]", "[long.text]", 1), `"long.text" is 4 SMS segments in GSM-7, more than 3`},
		{"too long for WhatsApp", strings.Replace(good, "[referral.ask_name]", "[huge.text]", 1), `"huge.text" is 1601 characters, more than WhatsApp through Twilio sends (1600)`},
		{"ucs2 segments", strings.Replace(good, "[referral.ask_name]", "[curly.text]", 1), `in UCS-2`},
		{"start a flow", strings.Replace(good, "final: true}", "final: true, actions: [{do: start, flow: ons4}]}", 1), ""},
		{"start an unknown flow", strings.Replace(good, "final: true}", "final: true, actions: [{do: start, flow: nope}]}", 1), `do: start names flow "nope", which is not loaded`},
		{"start without a flow", strings.Replace(good, "final: true}", "final: true, actions: [{do: start}]}", 1), `do: start needs flow`},
		{"start itself", strings.Replace(good, "final: true}", "final: true, actions: [{do: start, flow: t}]}", 1), `cannot start its own flow "t"`},
		{"start before the end", strings.Replace(good, "    on: {text: done", "    actions: [{do: start, flow: ons4}]\n    on: {text: done", 1), `do: start ends this flow, so it belongs in a final state`},
		{"flow on another action", strings.Replace(good, "final: true}", "final: true, actions: [{do: score, flow: ons4}]}", 1), `flow: is only for do: start`},
		{"label too wide for a WhatsApp button", strings.Replace(good, "contact.phone}", "wide.label}", 1), `warning: on WhatsApp the choices go as a list, not buttons: choice "aaaaaaaaaaaaaaaaaaaaa" is 21 characters, more than a button shows (20)`},
		{"label too wide for a WhatsApp list", strings.Replace(good, "contact.phone}", "huge.label}", 1), `warning: on WhatsApp the choices must be typed, not pressed: choice "aaaaaaaaaaaaaaaaaaaaaaaaa" is 25 characters, more than a list item shows (24)`},
		{"bad duration", strings.Replace(good, "start: ask", "start: ask\nremind: soon", 1), `remind: "soon" is not a positive duration`},
		{"loose on a choice", strings.Replace(good, "save: how", "save: how\n    loose: true", 1), `loose needs expect: yesno`},
		{"loose where a no ends it", strings.Replace(strings.Replace(good, "expect: choice", "expect: yesno", 1), "    options:\n      - {value: text, label: contact.text}\n      - {value: phone, label: contact.phone}\n    on: {text: done, phone: done}", "    loose: true\n    next: done", 1), `loose where a no ends the conversation (done)`},
		{"chain without next", strings.Replace(good, "save: how", "save: how\n    chain: true", 1), `chain needs next`},
		{"anchors on a choice", strings.Replace(good, "save: how", "save: how\n    anchors: {never: 0}", 1), `anchors need expect: number`},
	}
	overrides := "messages:\n  long.text: \"" + strings.Repeat("a", 153*3+1) + "\"\n" +
		"  huge.text: \"" + strings.Repeat("a", 1601) + "\"\n" +
		"  wide.label: \"" + strings.Repeat("a", 21) + "\"\n" +
		"  huge.label: \"" + strings.Repeat("a", 25) + "\"\n" +
		"  curly.text: \"" + strings.Repeat("\u2019", 67*3+1) + "\"\n"
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := fstest.MapFS{
				"t.yaml":            {Data: []byte(c.flow)},
				"templates.en.yaml": {Data: []byte(overrides)},
			}
			cat, err := templates.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			set, err := flows.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			var ours []string
			for _, p := range set.Check(cat, flows.CheckOptions{Warnings: true}) {
				if p.File == "t.yaml" {
					ours = append(ours, p.String())
				}
			}
			if c.want == "" {
				if len(ours) > 0 {
					t.Fatalf("problems in a valid flow: %q", ours)
				}
				return
			}
			for _, p := range ours {
				if strings.Contains(p, c.want) && strings.HasPrefix(p, "t.yaml: flow t: ") {
					return
				}
			}
			t.Fatalf("problems %q, want one containing %q", ours, c.want)
		})
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"yaml syntax", "id: [unclosed", "t.yaml"},
		{"unknown key", good + "colour: blue\n", "field colour not found"},
		{"unknown state key", strings.Replace(good, "save: how", "save: how\n    sayy: [x]", 1), "field sayy not found"},
		{"empty", "", "empty flow file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := flows.Load(fstest.MapFS{"t.yaml": {Data: []byte(c.data)}})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "t.yaml") {
				t.Fatalf("Load error = %v, want one naming t.yaml and containing %q", err, c.want)
			}
		})
	}
}

func TestOverrideReplacesBuiltin(t *testing.T) {
	set, err := flows.Load(fstest.MapFS{"mine.yaml": {Data: []byte(strings.Replace(good, "id: t", "id: self-referral\nversion: 7", 1))}})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := set.Flow("self-referral")
	if !ok || f.Version != 7 || f.File != "mine.yaml" {
		t.Fatalf("self-referral = %+v", f)
	}
}

// A flow that starts one which starts another before asking anything could
// loop for ever between them; Check refuses it.
func TestCheckRefusesFlowsStartingEachOther(t *testing.T) {
	a := strings.Replace(good, "final: true}", "final: true, actions: [{do: start, flow: u}]}", 1)
	u := "id: u\nstart: go\nstates:\n  go: {actions: [{do: start, flow: t}], final: true}\n"
	dir := fstest.MapFS{"t.yaml": {Data: []byte(a)}, "u.yaml": {Data: []byte(u)}}
	cat, err := templates.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	set, err := flows.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, p := range set.Check(cat, flows.CheckOptions{}) {
		found = found || p.String() == `t.yaml: flow t: state done: flow "u" starts another flow before asking anything`
	}
	if !found {
		t.Fatalf("problems %v, want the loop between t and u named", set.Check(cat, flows.CheckOptions{}))
	}
}
