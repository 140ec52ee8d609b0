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
	"sync"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/sim"
)

// shutdownGrace bounds how long in-flight requests may take to finish
// after SIGINT/SIGTERM.
const shutdownGrace = 10 * time.Second

// runServe runs the HTTP server, the outbox dispatcher and the timer
// scheduler until ctx is cancelled (SIGINT/SIGTERM), then stops taking
// requests, lets those in flight finish, stops the workers and closes the
// database.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.register(fs)
	c.channels.register(fs)
	fs.StringVar(&c.Addr, "addr", env("LINKLINE_ADDR", ":8080"), "listen address (LINKLINE_ADDR)")
	fs.StringVar(&c.PublicURL, "public-url", env("LINKLINE_PUBLIC_URL", ""), "the URL providers reach this server on (LINKLINE_PUBLIC_URL)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	defer ln.Close()
	return serve(ctx, &c, ln, log)
}

// serve is runServe after flags: tests call it with their own listener.
func serve(ctx context.Context, c *config, ln net.Listener, log *slog.Logger) error {
	defer ln.Close()
	mux := http.NewServeMux()
	chans, err := c.channels.build(ctx, c.PublicURL, log)
	if err != nil {
		return err
	}
	// The simulator's replies have no one to reach outside a chat session:
	// they are recorded as sent and stay in the transcript.
	chans.senders[bot.Sim] = sim.NewSender(func(bot.Address, string) {})
	a, err := c.open(ctx, log, chans.senders, chans.notifier)
	if err != nil {
		return err
	}
	defer a.store.Close()
	loops, err := chans.start(ctx, mux, a, log)
	if err != nil {
		return err
	}

	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := a.store.View(r.Context(), func(bot.Tx) error { return nil }); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	// The console mounts its handlers on mux here.
	con := mountConsole(ctx, mux, a, c, log)

	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(con.Shutdown)

	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { a.disp.Run(workCtx) })
	wg.Go(func() { a.sched.Run(workCtx) })
	for _, loop := range loops {
		wg.Go(func() {
			if err := loop(workCtx); err != nil && workCtx.Err() == nil {
				log.Error("channel loop stopped", "err", err)
			}
		})
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("linkline serving", "addr", ln.Addr().String(), "db", c.DB)

	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
		err = srv.Shutdown(sctx)
		cancel()
		<-errc
	}
	stopWork()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	log.Info("stopped")
	return err
}
