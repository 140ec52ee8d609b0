package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/linkline/linkline/directory"
	"github.com/linkline/linkline/directory/oruktest"
)

// directoryPostcode is where load-test people live when --directory is set:
// a fixture postcode in Kendal, with services around it.
const directoryPostcode = "LA9 4AA"

// say is what a number sends at step of the script.
func (o loadOptions) say(step int) string {
	if o.Directory > 0 && script[step] == "SW1A 1AA" {
		return directoryPostcode
	}
	return script[step]
}

// loadDirectory syncs n services from a fake ORUK feed into the database
// at path, and the fixture postcodes, before the server opens it.
func loadDirectory(ctx context.Context, path string, n int) error {
	feed := oruktest.New("3", oruktest.Services(max(1, n/len(oruktest.Towns))), oruktest.Options{})
	defer feed.Close()
	store, err := openStore(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := (&directory.Importer{Store: store}).Sync(ctx, &directory.Client{PerPage: 500}, feed.URL, "loadgen"); err != nil {
		return fmt.Errorf("loadgen directory: %w", err)
	}
	if _, err := directory.ImportPostcodes(ctx, store, strings.NewReader(oruktest.PostcodesCSV()), directory.PostcodeOptions{}); err != nil {
		return fmt.Errorf("loadgen postcodes: %w", err)
	}
	return nil
}
