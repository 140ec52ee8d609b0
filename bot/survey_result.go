package bot

import (
	"time"

	"github.com/linkline/linkline/flows"
)

// SurveyResult is one completed wellbeing survey: the person's answer to
// each item, and the scores and bands the survey's flow file declares.
// Scores are for link workers and reports; the person is only thanked.
type SurveyResult struct {
	ID        string `json:"id"`
	ContactID string `json:"contact_id"`
	// Survey is the instrument (e.g. "ons4"); FlowID and Version the flow
	// file that asked it.
	Survey  string    `json:"survey"`
	FlowID  string    `json:"flow_id"`
	Version int       `json:"version"`
	At      time.Time `json:"at"`
	// Items holds each scored item's score by key; nil means the person
	// skipped it (never zero).
	Items map[string]*int `json:"items"`
	// Categories holds the option chosen for category items (e.g. the
	// direct loneliness question), or flows.Skipped.
	Categories map[string]string `json:"categories,omitempty"`
	// Score is the summed total for instruments that sum, nil when the
	// instrument does not sum or an item was skipped.
	Score *int `json:"score,omitempty"`
	// Metric is Score converted by the instrument's lookup table, if any.
	Metric *float64 `json:"metric,omitempty"`
	// Bands names the band of each banded item by key, and of the total
	// under BandTotal.
	Bands map[string]string `json:"bands,omitempty"`
}

// BandTotal is the Bands key of the total's band.
const BandTotal = "total"

// EventSurveyScored records a stored survey result (no scores in the event).
const EventSurveyScored EventKind = "survey.scored"

// Answered reports whether the person answered at least one item: a
// survey with every item skipped records that they were asked, but is no
// baseline or latest result to compare.
func (r *SurveyResult) Answered() bool {
	if r.Score != nil {
		return true
	}
	for _, v := range r.Items {
		if v != nil {
			return true
		}
	}
	for _, c := range r.Categories {
		if c != "" && c != flows.Skipped {
			return true
		}
	}
	return false
}
