// Package share serves a presenter's live keyhole session to viewers over
// SSH: read-only, drawn from the presenter's state at each viewer's own
// size, always redacted. It knows nothing of what is drawn: the presenter
// publishes snapshots (already masked for viewers) and NewViewer makes each
// viewer's Bubble Tea model, which gets them as SnapshotMsg.
//
// Who gets in: a key of the authorized keys file, or, without one, the join
// code the presenter's screen shows, typed at the keyboard-interactive
// prompt. Nothing else runs: no shell, no exec, no forwarding, no SFTP.
package share

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"github.com/charmbracelet/colorprofile"
	gossh "golang.org/x/crypto/ssh"
)

// DefaultAddr is where sharing listens unless told otherwise: loopback,
// reached from elsewhere through `ssh -L`.
const DefaultAddr = "127.0.0.1:2222"

// Options configure a Server.
type Options struct {
	// Addr is the address to listen on; "" is DefaultAddr.
	Addr string
	// HostKeyPath is the ed25519 host key, made 0600 when missing.
	HostKeyPath string
	// AuthorizedKeys is an OpenSSH authorized_keys file; "" admits
	// viewers by the join code instead.
	AuthorizedKeys string
	// MaxViewers caps the viewers at once; 0 is 10.
	MaxViewers int
	// NewViewer makes the model of a viewer's program; first is the
	// latest snapshot published (nil before the first).
	NewViewer func(v Viewer, first any) tea.Model
	// Changed hears that the viewers changed (one came, one left). It is
	// called from the server's goroutines and must not block.
	Changed func()
	// IdleTimeout drops a connection where nothing moved either way for
	// this long; 0 is 30 minutes.
	IdleTimeout time.Duration
	// StallAfter drops a viewer that accepted no bytes for this long; 0
	// is 60 seconds.
	StallAfter time.Duration
	// Now is the clock of the throttle; nil is time.Now.
	Now func() time.Time
}

// Viewer is one connected viewer, as the presenter's list shows it.
type Viewer struct {
	ID int
	// Who is the authorized key's comment (else its fingerprint), or
	// "join code".
	Who   string
	User  string
	Addr  string
	Since time.Time
}

// SnapshotMsg carries a published snapshot to a viewer's program.
type SnapshotMsg struct{ Snapshot any }

// Server is a running share.
type Server struct {
	opts     Options
	srv      *ssh.Server
	ln       net.Listener
	served   chan struct{} // closed when srv.Serve has returned
	hostKey  string        // its SHA256 fingerprint
	keys     []authorizedKey
	throttle *throttle
	sleep    func(time.Duration) // the throttle's waits; tests skip them
	// output wraps a viewer's terminal; tests put a writer there that
	// stops taking bytes, as a stalled viewer does.
	output func(io.Writer) io.Writer

	mu      sync.Mutex
	code    string
	nextID  int
	viewers map[int]*viewer
	latest  any
	closing bool
	wg      sync.WaitGroup
}

type viewer struct {
	info  Viewer
	slot  *slot
	prog  *tea.Program
	ready chan struct{} // closed once prog is made
	done  chan struct{} // closed once prog has ended
	kicks sync.Once
}

type authorizedKey struct {
	key     gossh.PublicKey
	comment string
	// from is the key's from="…" (nil: any address); expires its
	// expiry-time="…" (zero: never). See authkeys.go.
	from    []addrPattern
	expires time.Time
}

type ctxKey int

const (
	ctxWho ctxKey = iota
	ctxConn
)

// Start listens and serves until Close.
func Start(opts Options) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	if opts.MaxViewers <= 0 {
		opts.MaxViewers = 10
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 30 * time.Minute
	}
	if opts.StallAfter <= 0 {
		opts.StallAfter = stallAfter
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.NewViewer == nil {
		return nil, errors.New("share: no viewer model")
	}
	if opts.HostKeyPath == "" {
		return nil, errors.New("share: no host key path")
	}
	s := &Server{opts: opts, throttle: newThrottle(opts.Now), sleep: time.Sleep, viewers: map[int]*viewer{},
		output: func(w io.Writer) io.Writer { return w }}
	auth := []ssh.Option{}
	if opts.AuthorizedKeys != "" {
		keys, err := readAuthorizedKeys(opts.AuthorizedKeys)
		if err != nil {
			return nil, err
		}
		s.keys = keys
		auth = append(auth, wish.WithPublicKeyAuth(s.publicKey))
	} else {
		code, err := newJoinCode()
		if err != nil {
			return nil, fmt.Errorf("share: make a join code: %w", err)
		}
		s.code = code
		auth = append(auth, wish.WithKeyboardInteractiveAuth(s.keyboard))
	}
	srv, err := wish.NewServer(append(auth,
		wish.WithAddress(opts.Addr),
		wish.WithHostKeyPath(opts.HostKeyPath),
		wish.WithIdleTimeout(opts.IdleTimeout),
		wish.WithMiddleware(func(ssh.Handler) ssh.Handler { return s.handle }),
		func(srv *ssh.Server) error {
			srv.ConnCallback = func(ctx ssh.Context, c net.Conn) net.Conn {
				ctx.SetValue(ctxConn, c)
				return c
			}
			// Agent and X11 forwarding, environment passing for shells:
			// nothing but the viewer's terminal is asked for here.
			srv.SessionRequestCallback = func(sess ssh.Session, kind string) bool {
				return kind == "shell" && sess.RawCommand() == ""
			}
			return nil
		},
	)...)
	if err != nil {
		return nil, fmt.Errorf("share: %w", err)
	}
	if err := os.Chmod(opts.HostKeyPath, 0o600); err != nil {
		return nil, fmt.Errorf("share: host key: %w", err)
	}
	fp, err := hostFingerprint(opts.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s.hostKey = fp
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("share: listen on %s: %w", opts.Addr, err)
	}
	s.srv, s.ln, s.served = srv, ln, make(chan struct{})
	go func() {
		defer close(s.served)
		_ = srv.Serve(ln)
	}()
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Fingerprint is the host key's SHA256 fingerprint, for viewers to check.
func (s *Server) Fingerprint() string { return s.hostKey }

// JoinCode is the code viewers type; "" with an authorized keys file.
func (s *Server) JoinCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.code
}

// RenewCode replaces the join code: the old one admits no one more.
// Viewers already in stay.
func (s *Server) RenewCode() (string, error) {
	if s.opts.AuthorizedKeys != "" {
		return "", nil
	}
	code, err := newJoinCode()
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	s.code = code
	s.mu.Unlock()
	return code, nil
}

// Publish hands a snapshot to every viewer without waiting for any: each
// viewer's slot keeps only the latest.
func (s *Server) Publish(snapshot any) {
	s.mu.Lock()
	s.latest = snapshot
	for _, v := range s.viewers {
		v.slot.put(snapshot)
	}
	s.mu.Unlock()
}

// Viewers lists who is watching, the earliest first.
func (s *Server) Viewers() []Viewer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Viewer, 0, len(s.viewers))
	for _, v := range s.viewers {
		out = append(out, v.info)
	}
	slices.SortFunc(out, func(a, b Viewer) int { return a.ID - b.ID })
	return out
}

// DisconnectAll ends every viewer's session, saying why.
func (s *Server) DisconnectAll(why string) {
	s.mu.Lock()
	vs := make([]*viewer, 0, len(s.viewers))
	for _, v := range s.viewers {
		vs = append(vs, v)
	}
	s.mu.Unlock()
	for _, v := range vs {
		v.end(why)
	}
}

// Close ends every viewer's session with goodbye and stops serving. It
// waits a little for the sessions to say goodbye, never for long.
func (s *Server) Close(goodbye string) error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.DisconnectAll(goodbye)
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
	}
	// The listener is closed here, and Serve waited for, before Shutdown:
	// a Shutdown that came before Serve had counted its listener in would
	// leave Serve accepting on it, and race with its count.
	_ = s.ln.Close()
	<-s.served
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.srv.Close()
	}
	if errors.Is(err, ssh.ErrServerClosed) {
		err = nil
	}
	return err
}

// end stops a viewer's program with a last line.
func (v *viewer) end(why string) {
	v.kicks.Do(func() {
		go func() {
			select {
			case <-v.ready:
			case <-v.done:
				return
			}
			v.prog.Send(endMsg{why})
		}()
	})
}

// endMsg ends a viewer's program; the line is written after it quits.
type endMsg struct{ why string }

func (s *Server) handle(sess ssh.Session) {
	if sess.RawCommand() != "" || sess.Subsystem() != "" {
		wish.Fatalln(sess, "keyhole share: only the viewer runs here: connect without a command")
		return
	}
	pty, windows, ok := sess.Pty()
	if !ok {
		wish.Fatalln(sess, "keyhole share: the viewer needs a terminal: connect with ssh -t")
		return
	}
	v, err := s.admit(sess)
	if err != nil {
		wish.Fatalln(sess, "keyhole share: "+err.Error())
		return
	}
	defer s.leave(v)

	envs := append(sess.Environ(), "TERM="+pty.Term)
	in, out := ioFor(sess, pty)
	term := s.output(out)
	watched := &stallWriter{w: term}
	model := s.opts.NewViewer(v.info, v.first())
	v.prog = tea.NewProgram(endFilter{Model: model},
		tea.WithInput(in), tea.WithOutput(watched),
		tea.WithEnvironment(envs),
		tea.WithColorProfile(colorprofile.Env(envs)),
		tea.WithWindowSize(pty.Window.Width, pty.Window.Height),
		tea.WithoutSignalHandler(),
		tea.WithContext(sess.Context()),
	)
	close(v.ready)
	go func() {
		for {
			select {
			case <-v.done:
				return
			case w := <-windows:
				v.prog.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	}()
	go v.slot.pump(v.done, func(snap any) { v.prog.Send(SnapshotMsg{snap}) })
	// A stalled viewer's program is stuck in a write: closing the session
	// and its terminal ends that write, and killing the program ends Run.
	go watched.watch(v.done, s.opts.StallAfter, min(5*time.Second, s.opts.StallAfter/4), func() {
		_ = sess.Close()
		for _, w := range []io.Writer{term, out} {
			if c, ok := w.(io.Closer); ok {
				_ = c.Close()
			}
		}
		v.prog.Kill()
	})
	final, _ := v.prog.Run()
	close(v.done)
	if f, ok := final.(endFilter); ok && f.why != "" {
		_, _ = fmt.Fprintf(sess, "\r\n%s\r\n", f.why)
	}
}
