package templates

import (
	htmltemplate "html/template"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"
)

// realisticAnswers are long-ish but ordinary answers for the keys shipped
// templates show; any other answer a template names gets filler.
var realisticAnswers = map[string]string{
	"name":                 "Alexandra Smith-Johnson",
	"dob":                  "12/03/1958",
	"postcode":             "SW1A 1AA",
	"gp":                   "Riverside Medical Centre",
	"needs_label":          "Feeling lonely or isolated, Money, debt or benefits",
	"contact_method_label": "Text message",
	"contact_time_label":   "Any time",
}

// shippedData is SampleData with every answer the catalogue's templates name.
func shippedData(t *testing.T, cat *Catalogue) Data {
	t.Helper()
	d := SampleData()
	d.Answers = map[string]string{}
	for _, l := range cat.locales {
		for _, tmpl := range l.messages {
			var root parse.Node
			switch tm := tmpl.(type) {
			case *template.Template:
				root = tm.Tree.Root
			case *htmltemplate.Template:
				root = tm.Tree.Root
			}
			for k := range answerFields(root) {
				v, ok := realisticAnswers[k]
				if !ok {
					v = "an answer of 20 char"
				}
				d.Answers[k] = v
			}
		}
	}
	return d
}

// answerFields collects X of every .Answers.X in a template.
func answerFields(n parse.Node) map[string]bool {
	out := map[string]bool{}
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c)
				}
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			if len(n.Ident) >= 2 && n.Ident[0] == "Answers" {
				out[n.Ident[1]] = true
			}
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		}
	}
	walk(n)
	return out
}

// TestShippedMessages renders every embedded message: each must render with
// realistic data, stay in GSM-7 and fit three SMS segments.
func TestShippedMessages(t *testing.T) {
	cat, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := shippedData(t, cat)
	noName := d
	// The other branches: no name or hours known, and the team working now.
	noName.Contact.Name, noName.Service.Hours, noName.Team.Open = "", "", true
	for _, loc := range cat.Locales() {
		for _, key := range cat.Keys(loc) {
			for _, data := range []Data{d, noName} {
				text, err := cat.Render(loc, key, data)
				if err != nil {
					t.Errorf("%s %s: %v", loc, key, err)
					continue
				}
				if !IsGSM7(text) {
					t.Errorf("%s %s is not GSM-7: %q", loc, key, text)
				}
				if n, _ := Segments(text); n > 3 {
					t.Errorf("%s %s takes %d segments: %q", loc, key, n, text)
				}
				if strings.Contains(text, "<no value>") || strings.TrimSpace(text) == "" {
					t.Errorf("%s %s rendered %q", loc, key, text)
				}
			}
		}
	}
}

// TestCoreKeys pins the keys the engine and flows rely on.
func TestCoreKeys(t *testing.T) {
	cat, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{
		"core.help", "core.stopped", "core.started", "core.restarting", "core.reminder", "core.expired",
		"core.needs_human", "core.flow_changed", "core.empty", "core.media", "core.too_long",
		"retry.choice", "retry.choices", "retry.yesno", "retry.number", "retry.date",
		"retry.date_impossible", "retry.date_future", "retry.postcode", "retry.phone", "retry.text",
		"safety.check", "safety.again", "safety.thanks", "person.confirm", "handoff.resuming", "handoff.ended",
	} {
		if !cat.Has("en", key) {
			t.Errorf("en lacks %s", key)
		}
	}
	d := SampleData()
	d.Min, d.Max = 3, 9
	mustContain := map[string][]string{
		"core.help":        {d.Service.Name, "HUMAN", "RESTART", "STOP", "not monitored all the time", "999"},
		"core.stopped":     {"START"},
		"handoff.resuming": {"pick up where we left off"},
		"safety.check":     {"Are you safe?", "YES", "NO", "999", "116 123"},
		"safety.again":     {"are you safe?", "YES", "NO", "999", "116 123"},
		"safety.thanks":    {"999", "116 123"},
		"person.confirm":   {"YES", "NO"},
		"core.needs_human": {"asked the team", d.Service.Hours},
		"core.reminder":    {"Just checking in - we're still here when you're ready to reply."},
		"retry.choice":     {"Sorry, I didn't catch that. Please reply with the number of your answer, e.g. 1."},
		"retry.number":     {"3", "9"},
		"retry.date":       {"12/03/1958"},
	}
	for key, wants := range mustContain {
		text, err := cat.Render("en", key, d)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s = %q, lacks %q", key, text, w)
			}
		}
	}
}

// FuzzRender renders templates that show every field with arbitrary
// strings: nothing is escaped, lost or added.
func FuzzRender(f *testing.F) {
	cat, err := Load(enOverride("messages:\n  fuzz.all: \"{{.Contact.Name}}|{{.Answers.a}}|{{.Service.Name}}|{{.Service.ResponseTime}}|{{.Service.Hours}}|{{.Min}}|{{.Max}}\"\n"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Alex", "yes", "Riverside", "soon", "9-5", -1, 10)
	f.Add("{{.Contact.Name}}", "<b>&amp;</b>", "\x00\xff", "😀", "", 0, 0)
	f.Fuzz(func(t *testing.T, name, answer, service, rt, hours string, lo, hi int) {
		d := Data{Contact: Person{Name: name}, Answers: map[string]string{"a": answer},
			Service: Service{Name: service, ResponseTime: rt, Hours: hours}, Min: lo, Max: hi}
		got, err := cat.Render("en", "fuzz.all", d)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Join([]string{name, answer, service, rt, hours, itoa(lo), itoa(hi)}, "|")
		if got != want {
			t.Fatalf("Render = %q, want %q", got, want)
		}
		for _, key := range []string{"core.help", "core.needs_human", "retry.number"} {
			if _, err := cat.Render("en", key, d); err != nil {
				t.Fatalf("%s: %v", key, err)
			}
		}
	})
}

func BenchmarkRender(b *testing.B) {
	cat, err := Load(nil)
	if err != nil {
		b.Fatal(err)
	}
	d := SampleData()
	for b.Loop() {
		if _, err := cat.Render("en", "core.help", d); err != nil {
			b.Fatal(err)
		}
	}
}
