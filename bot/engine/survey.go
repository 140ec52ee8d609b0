package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/flows"
)

// ScoreSurvey scores a survey flow's saved answers by the flow's scoring
// block. An item whose answer is missing, skipped or unreadable is skipped;
// a category item the flow did not ask is flows.NotAsked.
// The result has no ID, contact or time yet.
func ScoreSurvey(f *flows.Flow, answers map[string]string) (*bot.SurveyResult, error) {
	s := f.Scoring
	if s == nil {
		return nil, fmt.Errorf("flow %s: no scoring block", f.ID)
	}
	r := &bot.SurveyResult{Survey: f.Instrument(), FlowID: f.ID, Version: f.Version,
		Items: map[string]*int{}, Bands: map[string]string{}}
	total, complete := 0, true
	for _, it := range s.Items {
		a, ok := answers[it.Key]
		if !ok || a == flows.Skipped {
			a = flows.Skipped
		}
		if len(it.Values) == 0 && len(it.Bands) == 0 && isChoiceItem(f, it.Key) {
			if !ok {
				// A question the flow did not ask ("time for yourself"
				// after a good week) is not one the person declined
				// (session 40's trials read "skipped" as that).
				a = flows.NotAsked
			}
			if r.Categories == nil {
				r.Categories = map[string]string{}
			}
			r.Categories[it.Key] = a
			if b := it.Categories[a]; b != "" {
				r.Bands[it.Key] = b
			}
			continue
		}
		n, ok := itemScore(it, a)
		if !ok {
			r.Items[it.Key] = nil
			complete = false
			continue
		}
		r.Items[it.Key] = &n
		total += n
		if b := flows.BandOf(it.Bands, n); b != "" {
			r.Bands[it.Key] = b
		}
	}
	if s.Total == "sum" && complete {
		r.Score = &total
		banded := total
		if len(s.Lookup) > 0 {
			m, ok := s.Lookup[total]
			if !ok {
				return nil, fmt.Errorf("flow %s: lookup has no entry for total %d", f.ID, total)
			}
			r.Metric = &m
			banded = int(math.Floor(m))
		}
		if b := flows.BandOf(s.TotalBands, banded); b != "" {
			r.Bands[bot.BandTotal] = b
		}
	}
	return r, nil
}

func itemScore(it flows.ScoredItem, answer string) (int, bool) {
	if len(it.Values) > 0 {
		n, ok := it.Values[answer]
		return n, ok
	}
	n, err := strconv.Atoi(answer)
	return n, err == nil
}

func isChoiceItem(f *flows.Flow, key string) bool {
	for _, st := range f.States {
		if st.Save == key {
			return st.Expect == flows.ExpectChoice || st.Expect == flows.ExpectChoices || st.Expect == flows.ExpectYesNo
		}
	}
	return false
}

// skipWords are the ways people say they would rather not answer.
// "Don't know" is a skip too: a survey records it as no answer, and asking
// again gets the same reply (session 42's trials); "not sure" is asked
// again, as a number often follows it.
var skipWords = map[string]bool{
	"skip": true, "pass": true, "skip it": true, "skip this": true, "skip this one": true,
	"skip please": true, "pass please": true, "next": true, "next question": true, "next one": true,
	"rather not say": true, "i'd rather not say": true, "id rather not say": true, "prefer not to say": true,
	"rather not": true, "i'd rather not": true, "id rather not": true, "prefer not": true, "no comment": true,
	"n/a": true, "not applicable": true, "dunno": true, "don't know": true, "dont know": true,
	"i don't know": true, "i dont know": true, "idk": true, "no idea": true, "not a clue": true,
}

// isSkip reports whether a reply asks to skip a question.
func isSkip(text string) bool {
	s := strings.ToLower(strings.TrimSpace(text))
	s = strings.TrimRight(s, ".!?")
	s = strings.ReplaceAll(s, "’", "'")
	return skipWords[s]
}

// score is the {do: score} action: it scores the conversation's answers by
// the flow's scoring block and stores the result for link workers.
func (t *turn) score(f *flows.Flow) error {
	r, err := ScoreSurvey(f, t.conv.Answers)
	if err != nil {
		return err
	}
	r.ContactID, r.At = t.contact.ID, t.now
	if err := t.tx.PutSurveyResult(r); err != nil {
		return err
	}
	return t.event(bot.EventSurveyScored, map[string]string{"survey": r.Survey, "result": r.ID})
}

func (e *Engine) followUpAfter() time.Duration {
	if e.cfg.FollowUpAfter > 0 {
		return e.cfg.FollowUpAfter
	}
	return 12 * 7 * 24 * time.Hour
}

// scheduleFollowUp is the {do: follow_up} action: after a person's first
// result on this survey (their baseline), it schedules the survey once
// more, FollowUpAfter later at the same local time (held to the morning if
// that falls in quiet hours). It does nothing if the person already has a
// schedule for the flow.
func (t *turn) scheduleFollowUp(f *flows.Flow) error {
	results := 0 // answered ones: a survey with every item skipped is no baseline
	if err := t.tx.SurveyResults(t.contact.ID, func(r *bot.SurveyResult) bool {
		if r.Survey == f.Instrument() && r.Answered() {
			results++
		}
		return results < 2
	}); err != nil || results != 1 {
		return err
	}
	exists := false
	if err := t.tx.Schedules(t.contact.ID, func(s *bot.Schedule) bool {
		exists = s.Flow == f.ID
		return !exists
	}); err != nil || exists {
		return err
	}
	loc, err := time.LoadLocation(bot.DefaultZone)
	if err != nil {
		return err
	}
	due := t.now.Add(t.e.followUpAfter()).In(loc)
	s := &bot.Schedule{ContactID: t.contact.ID, Flow: f.ID, Every: bot.Once, Weekday: due.Weekday(),
		LocalTime: due.Format("15:04"), Zone: bot.DefaultZone, Start: due, CreatedAt: t.now}
	if err := t.tx.PutSchedule(s); err != nil {
		return err
	}
	return t.setNextRun(s, t.now)
}
