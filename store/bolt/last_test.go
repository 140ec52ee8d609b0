package bolt

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// TestLastMessage: the newest message of one contact, never a neighbour's,
// even where ids share a prefix (c1, c10) or the contact is the last or
// first in the bucket; none is bot.ErrNotFound.
func TestLastMessage(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
	defer db.Close()
	ctx := context.Background()
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	msgs := []struct {
		contact string
		dir     bot.Direction
		text    string
	}{
		{"c1", bot.In, "c1 first"},
		{"c10", bot.In, "c10 first"},
		{"c1", bot.In, "c1 said"},
		{"c2", bot.In, "c2 said"},
		{"c1", bot.Out, "bot to c1"},
		{"c10", bot.Out, "bot to c10"},
		{"c2", bot.Out, "bot to c2"},
		{"c10", bot.In, "c10 said"},
		{"c10", bot.Out, "bot to c10 again"},
		{"b9", bot.Out, "bot to b9"},
	}
	err := db.Update(ctx, func(tx bot.Tx) error {
		for i, m := range msgs {
			if err := tx.AppendMessage(&bot.Message{ContactID: m.contact, Direction: m.dir, Text: m.text, At: t0.Add(time.Duration(i) * time.Minute)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		contact     string
		last, inbox string // "" is not found
	}{
		{"c1", "bot to c1", "c1 said"},
		{"c10", "bot to c10 again", "c10 said"},
		{"c2", "bot to c2", "c2 said"}, // the last contact in the bucket
		{"b9", "bot to b9", ""},        // the first, and never wrote
		{"c", "", ""},                  // a prefix of others' ids
		{"c3", "", ""},                 // after every key
		{"a", "", ""},                  // before every key
		{"c100", "", ""},               // c10's id is a prefix of it
	}
	err = db.View(ctx, func(btx bot.Tx) error {
		tx := btx.(*Tx)
		for _, c := range cases {
			for _, get := range []struct {
				name string
				fn   func(string) (*bot.Message, error)
				want string
			}{{"LastMessage", tx.LastMessage, c.last}, {"LastInbound", tx.LastInbound, c.inbox}} {
				m, err := get.fn(c.contact)
				switch {
				case get.want == "" && !errors.Is(err, bot.ErrNotFound):
					t.Errorf("%s(%s) = %v, %v; want ErrNotFound", get.name, c.contact, m, err)
				case get.want != "" && err != nil:
					t.Errorf("%s(%s): %v", get.name, c.contact, err)
				case get.want != "" && (m.Text != get.want || m.ContactID != c.contact):
					t.Errorf("%s(%s) = %s %q, want %q", get.name, c.contact, m.ContactID, m.Text, get.want)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
