package bot

import (
	"errors"
	"strings"
)

// The store settings that hold service hours an admin set in the console.
// When SettingServiceHours is present they override the configuration.
const (
	SettingServiceHours    = "service_hours"
	SettingServiceTimezone = "service_timezone"
	SettingClosedDates     = "closed_dates"
	// SettingHoursText is the hours as people are told them
	// (templates.Service.Hours), e.g. "Monday to Friday, 9am to 5pm".
	SettingHoursText = "service_hours_text"
)

// HoursSetting is service hours as saved in the store: the opening times
// (as ParseHours reads them), the time zone, closed dates (YYYY-MM-DD) and
// the hours as people are told them.
type HoursSetting struct {
	Spec, Zone string
	Closed     []string
	Text       string
}

// Parse checks the setting and returns the Hours it describes.
func (s HoursSetting) Parse() (*Hours, error) {
	return ParseHours(s.Spec, s.Zone, s.Closed)
}

// SplitDates splits closed dates written one a line or separated by
// commas or spaces, dropping empty ones.
func SplitDates(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// ReadHoursSetting returns the service hours saved in the store; ok is
// false when none were saved (SettingServiceHours is absent or empty).
func ReadHoursSetting(tx Tx) (s HoursSetting, ok bool, err error) {
	get := func(key string) string {
		if err != nil {
			return ""
		}
		v, e := tx.Setting(key)
		if e != nil && !errors.Is(e, ErrNotFound) {
			err = e
		}
		return v
	}
	s.Spec, s.Zone = get(SettingServiceHours), get(SettingServiceTimezone)
	s.Closed, s.Text = SplitDates(get(SettingClosedDates)), get(SettingHoursText)
	if err != nil {
		return HoursSetting{}, false, err
	}
	return s, s.Spec != "", nil
}

// PutHoursSetting saves s in the store. It does not check s: call Parse
// first.
func PutHoursSetting(tx Tx, s HoursSetting) error {
	for _, kv := range [][2]string{
		{SettingServiceHours, s.Spec}, {SettingServiceTimezone, s.Zone},
		{SettingClosedDates, strings.Join(s.Closed, ",")}, {SettingHoursText, s.Text},
	} {
		if err := tx.PutSetting(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}
