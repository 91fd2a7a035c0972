package share

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// admit counts a new viewer in, unless the share is full or closing.
func (s *Server) admit(sess ssh.Session) (*viewer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil, errors.New("the presenter is ending the session")
	}
	if len(s.viewers) >= s.opts.MaxViewers {
		return nil, fmt.Errorf("%d viewers are watching already, the most this session takes", len(s.viewers))
	}
	who, _ := sess.Context().Value(ctxWho).(string)
	s.nextID++
	v := &viewer{
		info:  Viewer{ID: s.nextID, Who: who, User: sess.User(), Addr: sess.RemoteAddr().String(), Since: time.Now()},
		slot:  newSlot(),
		ready: make(chan struct{}),
		done:  make(chan struct{}),
	}
	if s.latest != nil {
		v.slot.put(s.latest)
	}
	s.viewers[v.info.ID] = v
	s.wg.Add(1)
	if s.opts.Changed != nil {
		s.opts.Changed()
	}
	return v, nil
}

// leave counts a viewer out.
func (s *Server) leave(v *viewer) {
	s.mu.Lock()
	delete(s.viewers, v.info.ID)
	s.mu.Unlock()
	s.wg.Done()
	if s.opts.Changed != nil {
		s.opts.Changed()
	}
}

// first is the snapshot the viewer's model starts from.
func (v *viewer) first() any {
	snap, _ := v.slot.take()
	if snap != nil {
		v.slot.put(snap) // the pump delivers it too, once the program runs
	}
	return snap
}

// ioFor is the viewer's terminal: the pty's other end when the server
// made a real one, else the session itself.
func ioFor(sess ssh.Session, pty ssh.Pty) (io.Reader, io.Writer) {
	if !sess.EmulatedPty() && pty.Slave != nil {
		return pty.Slave, pty.Slave
	}
	return sess, sess
}

// endFilter lets the server end a viewer's program with a last line.
type endFilter struct {
	tea.Model
	why string
}

func (f endFilter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if e, ok := msg.(endMsg); ok {
		f.why = e.why
		return f, tea.Quit
	}
	m, cmd := f.Model.Update(msg)
	f.Model = m
	return f, cmd
}

// publicKey admits a key of the authorized keys file, from where its
// from="…" allows and before its expiry-time.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	for _, k := range s.keys {
		if ssh.KeysEqual(key, k.key) && k.admits(ctx.RemoteAddr(), time.Now()) {
			who := k.comment
			if who == "" {
				who = gossh.FingerprintSHA256(k.key)
			}
			ctx.SetValue(ctxWho, who)
			return true
		}
	}
	return false
}

// keyboard admits the one who types the join code. A wrong code closes
// the connection; repeated ones, from one address and user name, are
// slowed and then refused for a while.
func (s *Server) keyboard(ctx ssh.Context, challenge gossh.KeyboardInteractiveChallenge) bool {
	host, _, err := net.SplitHostPort(ctx.RemoteAddr().String())
	if err != nil {
		host = ctx.RemoteAddr().String()
	}
	key := host + "|" + ctx.User()
	ok, wait := s.throttle.check(key)
	if !ok {
		closeConn(ctx)
		return false
	}
	answers, err := challenge("", "keyhole share: type the join code shown on the presenter's screen.", []string{"Join code: "}, []bool{false})
	if err != nil || len(answers) != 1 {
		closeConn(ctx)
		return false
	}
	if wait > 0 {
		s.sleep(wait)
	}
	if !codeMatches(answers[0], s.JoinCode()) {
		s.throttle.fail(key)
		closeConn(ctx)
		return false
	}
	s.throttle.succeed(key)
	ctx.SetValue(ctxWho, "join code")
	return true
}

// closeConn drops the connection an authentication failed on.
func closeConn(ctx ssh.Context) {
	if c, ok := ctx.Value(ctxConn).(net.Conn); ok {
		_ = c.Close()
	}
}

// hostFingerprint is the SHA256 fingerprint of the host key at path.
func hostFingerprint(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("share: host key: %w", err)
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return "", fmt.Errorf("share: host key %s: %w", path, err)
	}
	return gossh.FingerprintSHA256(signer.PublicKey()), nil
}
