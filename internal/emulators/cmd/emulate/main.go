// Command emulate runs keyhole's vendor emulators on loopback so the TUI
// and the command line can be tried against them:
//
//	go run ./internal/emulators/cmd/emulate [--addr 127.0.0.1:0] [--token-ttl 90s] NAME... | all
//
// Each emulator gets its own listener (with a fixed port, the next names
// take the following ports). For each one it prints, on stdout, the shell
// export lines and the keyhole config table; on stderr one line per
// request, without secrets. It stops on Ctrl+C or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/keyhole-sh/keyhole/internal/emulators"
	"github.com/keyhole-sh/keyhole/internal/shellword"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "emulate:", err)
		os.Exit(1)
	}
}

// run parses args, serves until ctx is done, then shuts every server down
// and returns once they have stopped.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("emulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "loopback address (127.0.0.1:PORT or [::1]:PORT; port 0 picks free ports)")
	ttl := fs.Duration("token-ttl", 0, "access-token lifetime for every emulator (0: each vendor's documented one)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: emulate [--addr 127.0.0.1:0] [--token-ttl D] NAME... | all\nnames: %v\n", emulators.Names())
		fs.PrintDefaults()
	}
	// Flags may stand anywhere on the line: parse, take one name, repeat.
	var names []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(names) == 1 && names[0] == "all" {
		names = emulators.Names()
	}
	if len(names) == 0 {
		fs.Usage()
		return errors.New("name at least one emulator")
	}
	host, port, err := loopback(*addr)
	if err != nil {
		return err
	}
	if *ttl < 0 {
		return errors.New("--token-ttl must not be negative")
	}

	logger := log.New(stderr, "", log.Ltime)
	var servers []*http.Server
	var wg sync.WaitGroup
	defer func() {
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, s := range servers {
			_ = s.Shutdown(shut)
		}
		wg.Wait()
	}()
	for i, name := range names {
		emu, err := emulators.New(name, emulators.Options{TokenTTL: *ttl})
		if err != nil {
			return err
		}
		p := port
		if p != 0 {
			p += i
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		srv := &http.Server{
			Handler:           emulators.LogRequests(name, logger.Printf, emu.Handler()),
			ReadHeaderTimeout: 10 * time.Second,
		}
		servers = append(servers, srv)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Printf("%s: %v", name, err)
			}
		}()
		base := "http://" + ln.Addr().String()
		fmt.Fprintf(stdout, "# ---- %s emulator listening on %s\n", name, base)
		env := emu.Env()
		for _, k := range slices.Sorted(maps.Keys(env)) {
			fmt.Fprintf(stdout, "export %s=%s\n", k, shellword.Quote(env[k]))
		}
		fmt.Fprintf(stdout, "\n%s\n", emu.Config(base))
	}
	logger.Printf("serving %v; Ctrl+C stops", names)
	<-ctx.Done()
	logger.Printf("stopping")
	return nil
}

// loopback splits addr and refuses anything but a loopback IP literal: the
// emulators hand out tokens to anyone who asks. "localhost" is refused too,
// since it may resolve elsewhere; so is an empty host, which binds every
// interface.
func loopback(addr string) (host string, port int, err error) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("--addr %q: %w", addr, err)
	}
	ip := net.ParseIP(h)
	if ip == nil || !ip.IsLoopback() {
		return "", 0, fmt.Errorf("--addr %q: not a loopback address; use 127.0.0.1:PORT or [::1]:PORT (reach it from elsewhere with ssh -L)", addr)
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 0 || n > 65535 {
		return "", 0, fmt.Errorf("--addr %q: bad port", addr)
	}
	return h, n, nil
}
