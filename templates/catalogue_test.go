package templates

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func testBase() fstest.MapFS {
	return fstest.MapFS{
		"locales/en/a.yaml":     {Data: []byte("messages:\n  greet: \"Hello {{.Contact.Name}}\"\n  bye: \"Bye\"\n  answer: \"You said {{.Answers.name}}\"\n")},
		"locales/en/b.yaml":     {Data: []byte("keywords:\n  stop: [STOP]\nmessages:\n  range: \"From {{.Min}} to {{.Max}}\"\n")},
		"locales/en/empty.yaml": {Data: []byte("# nothing yet\n")},
		"locales/cy/a.yaml":     {Data: []byte("messages:\n  greet: \"Helo {{.Contact.Name}}\"\n")},
	}
}

func TestRender(t *testing.T) {
	cat, err := load(testBase(), nil)
	if err != nil {
		t.Fatal(err)
	}
	d := Data{Contact: Person{Name: "Sam"}, Answers: map[string]string{"name": "Sam Jones"}, Min: 0, Max: 10}
	tests := []struct {
		loc, key string
		data     any
		want     string
		wantErr  error
	}{
		{"en", "greet", d, "Hello Sam", nil},
		{"cy", "greet", d, "Helo Sam", nil},
		{"cy", "bye", d, "Bye", nil},         // falls back to English
		{"fr", "greet", d, "Hello Sam", nil}, // unknown locale: English
		{"en", "range", d, "From 0 to 10", nil},
		{"en", "answer", d, "You said Sam Jones", nil},
		{"en", "nope", d, "", ErrUnknownKey},
		{"cy", "nope", d, "", ErrUnknownKey},
	}
	for _, tt := range tests {
		got, err := cat.Render(tt.loc, tt.key, tt.data)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Render(%s, %s) error = %v, want %v", tt.loc, tt.key, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Render(%s, %s) = %q, %v; want %q", tt.loc, tt.key, got, err, tt.want)
		}
	}
}

func TestRenderMissingData(t *testing.T) {
	cat, err := load(testBase(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []any{
		Data{Answers: map[string]string{"other": "x"}}, // missing map key
		Data{},             // nil map
		struct{ X int }{1}, // no Answers field at all
	} {
		got, err := cat.Render("en", "answer", d)
		if err == nil || errors.Is(err, ErrUnknownKey) {
			t.Errorf("Render with %+v = %q, %v; want a data error", d, got, err)
		}
	}
}

func TestCatalogueIndex(t *testing.T) {
	extra := fstest.MapFS{
		"templates.de.yaml":    {Data: []byte("messages:\n  greet: Hallo\n")},
		"templates.txt":        {Data: []byte("not yaml: [")},
		"sub/templates.x.yaml": {Data: []byte("not yaml: [")},
	}
	cat, err := load(testBase(), extra)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cat.Locales(), []string{"cy", "de", "en"}; !slices.Equal(got, want) {
		t.Errorf("Locales = %q, want %q", got, want)
	}
	if got, want := cat.Keys("en"), []string{"answer", "bye", "greet", "range"}; !slices.Equal(got, want) {
		t.Errorf("Keys(en) = %q, want %q", got, want)
	}
	if got, want := cat.Keys("cy"), []string{"greet"}; !slices.Equal(got, want) {
		t.Errorf("Keys(cy) = %q, want %q", got, want)
	}
	if got := cat.Keys("fr"); got != nil {
		t.Errorf("Keys(fr) = %q, want nil", got)
	}
	for _, tt := range []struct {
		loc, key string
		want     bool
	}{
		{"en", "greet", true}, {"cy", "greet", true}, {"cy", "bye", false}, {"en", "nope", false}, {"fr", "greet", false},
	} {
		if got := cat.Has(tt.loc, tt.key); got != tt.want {
			t.Errorf("Has(%s, %s) = %v, want %v", tt.loc, tt.key, got, tt.want)
		}
	}
}

func TestOverride(t *testing.T) {
	extra := fstest.MapFS{
		"templates.en.yaml":  {Data: []byte("messages:\n  bye: \"Goodbye {{.Contact.Name}}\"\n  extra.key: Added\n")},
		"templates.cy.yaml":  {Data: []byte("messages:\n  bye: Hwyl\n")},
		"self-referral.yaml": {Data: []byte("id: not a template file\n")},
	}
	cat, err := load(testBase(), extra)
	if err != nil {
		t.Fatal(err)
	}
	d := Data{Contact: Person{Name: "Sam"}}
	for _, tt := range []struct{ loc, key, want string }{
		{"en", "bye", "Goodbye Sam"},
		{"en", "extra.key", "Added"},
		{"en", "greet", "Hello Sam"}, // untouched keys stay
		{"cy", "bye", "Hwyl"},
		{"cy", "greet", "Helo Sam"},
	} {
		if got, err := cat.Render(tt.loc, tt.key, d); err != nil || got != tt.want {
			t.Errorf("Render(%s, %s) = %q, %v; want %q", tt.loc, tt.key, got, err, tt.want)
		}
	}
	// The real catalogue takes overrides too.
	real, err := Load(fstest.MapFS{"templates.en.yaml": {Data: []byte("messages:\n  core.reminder: Still here.\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := real.Render("en", "core.reminder", SampleData()); got != "Still here." {
		t.Errorf("overridden core.reminder = %q", got)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		base  fstest.MapFS
		extra fstest.MapFS
		want  []string // substrings of the error
	}{
		{
			name: "same key in two files of a locale",
			base: fstest.MapFS{
				"locales/en/a.yaml": {Data: []byte("messages:\n  k: one\n")},
				"locales/en/b.yaml": {Data: []byte("messages:\n  k: two\n")},
			},
			want: []string{"locales/en/a.yaml", "locales/en/b.yaml", `"k"`},
		},
		{
			name: "same key twice in one file",
			base: fstest.MapFS{"locales/en/a.yaml": {Data: []byte("messages:\n  k: one\n  k: two\n")}},
			want: []string{"locales/en/a.yaml", "already defined"},
		},
		{
			name: "unknown top-level key",
			base: fstest.MapFS{"locales/en/a.yaml": {Data: []byte("mesages:\n  k: one\n")}},
			want: []string{"locales/en/a.yaml", "mesages"},
		},
		{
			name: "template does not parse",
			base: fstest.MapFS{"locales/en/a.yaml": {Data: []byte("messages:\n  bad.key: \"Hi {{.Contact.Name\"\n")}},
			want: []string{"locales/en/a.yaml", `"bad.key"`},
		},
		{
			name: "empty message",
			base: fstest.MapFS{"locales/en/a.yaml": {Data: []byte("messages:\n  k: \"\"\n")}},
			want: []string{"locales/en/a.yaml", `"k"`, "empty"},
		},
		{
			name: "not YAML",
			base: fstest.MapFS{"locales/en/a.yaml": {Data: []byte("messages: [\n")}},
			want: []string{"locales/en/a.yaml"},
		},
		{
			name: "two documents",
			base: fstest.MapFS{"locales/en/a.yaml": {Data: []byte("messages:\n  k: one\n---\nmessages:\n  j: two\n")}},
			want: []string{"locales/en/a.yaml", "one YAML document"},
		},
		{
			name: "keyword in two kinds",
			base: fstest.MapFS{
				"locales/en/a.yaml": {Data: []byte("keywords:\n  stop: [END]\n")},
				"locales/en/b.yaml": {Data: []byte("keywords:\n  restart: [end.]\n")},
			},
			want: []string{"locales/en/a.yaml", "locales/en/b.yaml", "end."},
		},
		{
			name: "keyword with no words",
			base: fstest.MapFS{"locales/en/a.yaml": {Data: []byte("keywords:\n  stop: [\"!!\"]\n")}},
			want: []string{"locales/en/a.yaml", "!!"},
		},
		{
			name:  "override does not parse",
			base:  testBase(),
			extra: fstest.MapFS{"templates.en.yaml": {Data: []byte("messages:\n  bye: \"{{if}}\"\n")}},
			want:  []string{"templates.en.yaml", `"bye"`},
		},
		{
			name:  "override unknown key",
			base:  testBase(),
			extra: fstest.MapFS{"templates.en.yaml": {Data: []byte("message:\n  bye: x\n")}},
			want:  []string{"templates.en.yaml", "message"},
		},
		{
			name:  "override keyword changes kind",
			base:  testBase(),
			extra: fstest.MapFS{"templates.en.yaml": {Data: []byte("keywords:\n  help: [stop]\n")}},
			want:  []string{"templates.en.yaml", "locales/en/b.yaml", "stop"},
		},
		{
			name:  "override with a bad locale name",
			base:  testBase(),
			extra: fstest.MapFS{"templates.en.gb.yaml": {Data: []byte("messages:\n  bye: x\n")}},
			want:  []string{"templates.en.gb.yaml", "locale"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := load(tt.base, tt.extra)
			if err == nil {
				t.Fatalf("load succeeded with locales %q", cat.Locales())
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func enOverride(yaml string) fstest.MapFS {
	return fstest.MapFS{"templates.en.yaml": {Data: []byte(yaml)}}
}

func itoa(n int) string { return strconv.Itoa(n) }
