package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/linkline/linkline/store/bolt"
	berrors "go.etcd.io/bbolt/errors"
)

// adminSocket is where a running server offers a consistent backup of its
// database to `linkline backup`: a Unix socket beside the database file,
// readable and writable by its owner only.
func adminSocket(db string) string { return db + ".sock" }

// serveAdmin answers GET /backup on the admin socket until ctx ends.
func serveAdmin(ctx context.Context, path string, db *bolt.DB, log *slog.Logger) (stop func(), err error) {
	if c, err := net.Dial("unix", path); err == nil {
		c.Close()
		return nil, fmt.Errorf("admin socket %s: another server is answering on it", path)
	}
	os.Remove(path) // a stale socket from a server that did not shut down
	// The socket is made under a name of its own and renamed into place
	// once it is the owner's only (connecting needs write permission), so
	// the path never shows a socket with the umask's mode.
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	os.Remove(tmp)
	ln, err := net.Listen("unix", tmp)
	if err != nil {
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false) // the stop func removes path
	if err := os.Chmod(tmp, 0o600); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		n, err := db.Backup(r.Context(), w)
		if err != nil {
			log.Error("backup over admin socket", "err", err, "bytes", n)
			return
		}
		log.Info("backup written over admin socket", "bytes", n)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		os.Remove(path)
	}, nil
}

// runBackup writes a consistent copy of the database to FILE: directly when
// no server holds the database, else through the running server's admin
// socket (bbolt's Tx.WriteTo, so the server keeps serving). The copy is
// checked before it replaces FILE.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	c.register(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: linkline backup [--db linkline.db] FILE")
		return errUsage
	}
	if err := boltOnly(c.DB, "backup", "back it up with pg_dump or continuous archiving (PITR)"); err != nil {
		return err
	}
	dest := fs.Arg(0)
	if err := c.existingDB(); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".linkline-backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	n, err := backupTo(ctx, c.DB, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("backup of %s: %w", c.DB, err)
	}
	// Prove the copy opens and is consistent before it replaces anything.
	copyDB, err := bolt.Open(ctx, tmp.Name(), bolt.Options{})
	if err != nil {
		return fmt.Errorf("backup copy does not open: %w", err)
	}
	err = copyDB.Check(ctx)
	copyDB.Close()
	if err != nil {
		return fmt.Errorf("backup copy is not consistent: %w", err)
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes), checked\n", dest, n)
	return nil
}

func backupTo(ctx context.Context, path string, w io.Writer) (int64, error) {
	db, err := bolt.Open(ctx, path, bolt.Options{Timeout: 200 * time.Millisecond})
	if err == nil {
		defer db.Close()
		return db.Backup(ctx, w)
	}
	if !errors.Is(err, berrors.ErrTimeout) {
		return 0, err
	}
	// A server holds the database: ask it.
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", adminSocket(path))
		},
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://linkline/backup", nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("the database is in use and the server's admin socket %s does not answer: %w", adminSocket(path), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("server answered %s", resp.Status)
	}
	return io.Copy(w, resp.Body)
}
