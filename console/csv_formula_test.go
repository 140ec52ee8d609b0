package console_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// hostile are what a person might type to make a spreadsheet run a
// formula when a link worker opens an export.
var hostile = []string{
	"=1+1", "+1+1", "-1+1", "@SUM(A1)",
	"＝1+1", "＋1+1", "－1+1", "＠SUM(A1)", // full width, which spreadsheets fold
	"\t=1+1", "\r=1+1", " =1+1", "\"=1+1",
	"Ann;=HYPERLINK(\"http://evil\")", "Ann, =1+1", "Ann;＠SUM(A1)",
}

// triggers start a formula once a spreadsheet has split a cell.
func triggers(cell string) bool {
	c := strings.TrimLeft(cell, " \"")
	return c != "" && (strings.ContainsRune("=+-@＝＋－＠\t\r", []rune(c)[0]) || strings.ContainsRune("\t\r", []rune(cell)[0]))
}

// TestCSVExportDefusesFormulas: every hostile value, read back with a
// comma reader and with a semicolon reader (a spreadsheet in much of
// Europe), yields no cell that starts a formula.
func TestCSVExportDefusesFormulas(t *testing.T) {
	w := newWorld(t)
	w.addUser("boss@example.org", "Boss", true)
	for i, h := range hostile {
		ct := w.send("sms:+4477009001"+string(rune('0'+i/10))+string(rune('0'+i%10)), "hello")
		ref := &bot.Referral{ContactID: ct.ID, Status: bot.ReferralNew, Method: bot.ReferralMethodSelf, Name: h, WhatMatters: h,
			CreatedAt: w.clock.Now().Add(time.Duration(i) * time.Minute), ConsentToRecord: true, ConsentNote: h}
		w.update(func(tx bot.Tx) error { return tx.PutReferral(ref) })
	}
	c := w.client()
	c.login("boss@example.org")
	res := c.post("/console/referrals.csv", url.Values{})
	if res.status != http.StatusOK {
		t.Fatalf("export: %d", res.status)
	}
	for _, sep := range []rune{',', ';'} {
		r := csv.NewReader(strings.NewReader(res.body))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = sep, true, -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("read with %q: %v", sep, err)
		}
		if sep == ',' && len(rows) != len(hostile)+1 {
			t.Fatalf("%d rows, want %d", len(rows), len(hostile)+1)
		}
		for _, row := range rows[1:] {
			for _, cell := range row {
				if triggers(cell) {
					t.Errorf("read with %q: cell %q would run as a formula", sep, cell)
				}
			}
		}
	}
}
