package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// SNOMED CT codes GP systems use for social prescribing (DOMAIN.md).
const (
	snomedReferred = "871731000000106" // Referral to social prescribing service
	snomedDeclined = "871711000000103" // Social prescribing declined
)

// coded is a PRSB "coded value or free text" element.
type coded struct {
	System string `json:"System,omitempty"`
	Code   string `json:"Coded value,omitempty"`
	Text   string `json:"Free text,omitempty"`
}

// prsbReferral is one referral in the shape of the PRSB Social
// Prescribing Information Standard v1.1: its section and element names,
// with the elements Linkline holds.
type prsbReferral struct {
	// Demographics is a map: element names such as "Person's address"
	// cannot be struct tags.
	Demographics map[string]any `json:"Person demographics"`
	GP           struct {
		Details string `json:"GP practice details,omitempty"`
	} `json:"GP practice"`
	AboutMe struct {
		MostImportant string `json:"What is most important to me,omitempty"`
		Communicate   string `json:"How I communicate and how to communicate with me,omitempty"`
	} `json:"About me"`
	Consent struct {
		Sharing string `json:"Consent for information sharing"`
	} `json:"Consent"`
	Referral struct {
		Date     string  `json:"Date"`
		Referrer string  `json:"Referrer details"`
		Method   string  `json:"Referral method"`
		Reason   coded   `json:"Reason for referral"`
		To       string  `json:"Referral to"`
		Status   string  `json:"Referral status"`
		Codes    []coded `json:"Coded entries"`
	} `json:"Referral details"`
	Issues []string   `json:"Presenting complaints or issues,omitempty"`
	Carer  string     `json:"Carer status,omitempty"`
	Risks  []prsbRisk `json:"Risks"`
	// Signposts are the local services the person was given (the bot's
	// offers after the referral, and those sent from the console).
	Signposts []prsbSignpost `json:"Signpost details,omitempty"`
	// LinklineID keeps the export traceable to the record.
	LinklineID string `json:"Linkline referral id"`
}

type prsbSignpost struct {
	Date string `json:"Date"`
	To   struct {
		Service coded `json:"Service"`
	} `json:"Signpost to"`
	Reason coded `json:"Reason for signpost"`
}

type prsbRisk struct {
	Start string `json:"Start date of risk"`
	Risk  coded  `json:"Risk"`
}

// toPRSB maps a referral and the person's risk events to the PRSB shape.
// first says whether ref is the person's first referral, the only one
// that carries the code for a referral to social prescribing.
func toPRSB(ref *bot.Referral, ct *bot.Contact, risks []*bot.Event, first bool) prsbReferral {
	var p prsbReferral
	p.LinklineID = ref.ID
	address, contact := map[string]string{}, map[string]string{}
	if ref.Postcode != "" {
		address["Postcode"] = ref.Postcode
	}
	if ct != nil {
		for _, a := range ct.Addresses {
			if _, ok := contact["Person's telephone number"]; !ok && a.Channel == bot.SMS {
				contact["Person's telephone number"] = a.ID
			} else if a.Channel == bot.Telegram {
				contact["Other contact information"] = "Telegram chat " + a.ID
			}
		}
	}
	p.Demographics = map[string]any{
		"Person name":              map[string]string{"Person full name": ref.Name},
		"Date of birth":            ref.DateOfBirth,
		"Person's address":         address,
		"Person's contact details": contact,
	}
	p.GP.Details = ref.GPPractice
	p.AboutMe.MostImportant = ref.WhatMatters
	p.AboutMe.Communicate = ref.ContactMethod
	if ref.ContactTime != "" {
		p.AboutMe.Communicate += " (" + ref.ContactTime + ")"
	}
	p.Consent.Sharing = "Not obtained"
	if ref.ConsentToShare {
		p.Consent.Sharing = "Consent given for information sharing"
	} else if ref.ConsentNote != "" {
		p.Consent.Sharing = "Not obtained: agreed with a condition, in their words: " + ref.ConsentNote
	}
	p.Referral.Date = ref.CreatedAt.UTC().Format(time.RFC3339)
	p.Referral.Referrer = "The person (self referral by text message)"
	p.Referral.Method = ref.Method
	p.Referral.Reason = coded{Text: ref.ReasonOwnWords}
	p.Referral.To = "Social prescribing link worker service"
	p.Referral.Status = string(ref.Status)
	p.Referral.Codes = []coded{}
	if first {
		p.Referral.Codes = append(p.Referral.Codes, coded{System: "SNOMED CT", Code: snomedReferred, Text: "Referral to social prescribing service"})
	}
	if ref.Status == bot.ReferralDeclined {
		p.Referral.Codes = append(p.Referral.Codes, coded{System: "SNOMED CT", Code: snomedDeclined, Text: "Social prescribing declined"})
	}
	p.Issues = append(p.Issues, ref.Needs...)
	if ref.NeedsOther != "" {
		p.Issues = append(p.Issues, ref.NeedsOther)
	}
	p.Carer = ref.Carer
	for _, o := range ref.SupportOffered {
		sp := prsbSignpost{Date: o.At.UTC().Format(time.RFC3339), Reason: coded{Text: strings.Join(ref.Needs, ", ")}}
		sp.To.Service = coded{Text: o.Name}
		p.Signposts = append(p.Signposts, sp)
	}
	p.Risks = []prsbRisk{}
	for _, e := range risks {
		p.Risks = append(p.Risks, prsbRisk{Start: e.At.UTC().Format(time.RFC3339), Risk: coded{Text: e.Data["category"]}})
	}
	return p
}

// referralsExportPRSB downloads the filtered referrals as PRSB-shaped
// JSON, under the same rule as the CSV export.
func (c *Console) referralsExportPRSB(w http.ResponseWriter, r *http.Request) {
	f, reason, ok := c.exportAllowed(w, r)
	if !ok {
		return
	}
	var out []prsbReferral
	var refs []*bot.Referral
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		refs, _, err = findReferrals(tx, f, 0)
		if err != nil {
			return err
		}
		first, err := firstReferrals(tx, refs)
		if err != nil {
			return err
		}
		out = make([]prsbReferral, 0, len(refs))
		for _, ref := range refs {
			ct, _ := tx.Contact(ref.ContactID)
			var risks []*bot.Event
			if err := contactEvents(tx, ref.ContactID, func(e *bot.Event) bool {
				// A finding only noted (a denial, a past told as over)
				// is not a risk to carry into another service's record.
				if e.Kind == bot.EventRisk && e.Data["tier"] != string(bot.RiskNoted) {
					risks = append(risks, e)
				}
				return true
			}); err != nil {
				return err
			}
			out = append(out, toPRSB(ref, ct, risks, ref.ContactID == "" || first[ref.ContactID] == ref.ID))
		}
		return nil
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.auditExport(r.Context(), userFrom(r.Context()), "prsb-json", refs, f, reason); err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="referrals-%s.json"`, c.cfg.Clock.Now().Format("2006-01-02")))
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"standard": "PRSB Social Prescribing Information Standard v1.1", "referrals": out}); err != nil {
		c.cfg.Log.Error("write referrals json", "err", err)
	}
}

// firstReferrals maps the contact of each of refs to the id of that
// contact's earliest referral. The export may be filtered, so it reads
// every referral: the store lists them newest first, so the last one seen
// for a contact is its first.
func firstReferrals(tx bot.Tx, refs []*bot.Referral) (map[string]string, error) {
	first := make(map[string]string, len(refs))
	for _, ref := range refs {
		first[ref.ContactID] = ""
	}
	if len(first) == 0 {
		return first, nil
	}
	err := tx.Referrals(func(ref *bot.Referral) bool {
		if _, ok := first[ref.ContactID]; ok {
			first[ref.ContactID] = ref.ID
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("find first referrals: %w", err)
	}
	return first, nil
}
