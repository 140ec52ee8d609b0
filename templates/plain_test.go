package templates

import "testing"

func TestHTMLMessagesEscapeValues(t *testing.T) {
	c, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := SampleData()
	d.Contact.Name = `Zoë <b>&"x"`
	got, err := c.Render("en", "enrol.welcome.html", d)
	if err != nil {
		t.Fatal(err)
	}
	want := `Hello <b>Zoë &lt;b&gt;&amp;&#34;x&#34;</b>, you are now connected`
	if len(got) < len(want) || got[:len(want)] != want {
		t.Fatalf("rendered %q\nwant prefix %q", got, want)
	}
	if p := Plain(got); p[:len(`Hello Zoë <b>&"x", you`)] != `Hello Zoë <b>&"x", you` {
		t.Fatalf("Plain = %q", p)
	}
	// Text messages are not escaped: SMS shows what was typed.
	d.Contact.Name = "A & B"
	txt, _ := c.Render("en", "referral.done", d)
	if want := "Thank you, A & B."; txt[:len(want)] != want {
		t.Fatalf("text message = %q", txt)
	}
}
