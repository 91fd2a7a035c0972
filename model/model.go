// Package model is keyhole's root Bubble Tea model: application state, mode
// and focus, the messages and commands, Update and the root View. It maps
// provider and exchange state onto the ui components, masking secrets
// before anything reaches them.
package model

import (
	"context"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/app"
	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/ui"
)

// Options configure a Model.
type Options struct {
	// Label names the configuration in the header (a path, or "built-in demo").
	Label string
	// ConfigPath is the --config a copied curl command passes to keyhole
	// token, so it finds the same provider; "" for the default lookup.
	ConfigPath string
	// Demo marks the built-in demo in the header.
	Demo bool
	// Backend is ready at once; or nil, with Placeholder names drawn in the
	// first frame and Start run after it (the demo server starts there).
	// The model builds no session of its own: app does.
	Backend     *app.Backend
	Placeholder []string
	Start       func(context.Context) (*app.Backend, error)
	// AutoFetch selects the first provider and fetches its token as soon as
	// the backend is up.
	AutoFetch bool
	// OpenURL opens a browser for an interactive grant; nil, or NoBrowser,
	// means the URL is only shown. SSH says the person is on another
	// machine, so the paste path comes first.
	OpenURL   func(string) error
	NoBrowser bool
	SSH       bool

	Redact bool
	// Theme is "dark" or "light" to force one; "" or "auto" follows the
	// terminal's background.
	Theme         string
	RefreshBefore time.Duration
	MaxBody       int64
	// Now is the clock and Location the time zone for expiry times; tests
	// fix both. Nil means time.Now and time.Local.
	Now      func() time.Time
	Location *time.Location

	// Environment is the environment in force at start (--env,
	// $KEYHOLE_ENV; a Layer named "" for none), nil where there can be
	// none (keyhole demo). SwitchEnv builds another one, named as in
	// Environment.Known ("" for none), and wires a backend for it; it may
	// be slow, and runs off the UI loop. Nil: e only says so.
	Environment *collenv.Layer
	SwitchEnv   func(ctx context.Context, name string) (*collenv.Layer, *app.Backend, error)

	// Collection is where the .http files are: the requests picker lists
	// their requests, S saves into them (see collection.go).
	Collection CollectionOptions

	// Notice is the first notice on screen (where sharing listens).
	Notice string

	// Share is the SSH share this session is shown through (keyhole
	// share; see share.go), nil when it is not shared.
	Share Sharing
}

type pane int

const (
	paneProviders pane = iota
	paneToken
	paneRequest
	paneResponse
	paneCount
)

var paneNames = [...]string{"Providers", "Token", "Request", "Response"}

// entry is one listed provider and what is happening to its token.
type entry struct {
	name string
	app.Provider
	tok *providers.Token
	act providers.Activity
	err error
	// before is err as it was when the attempt in flight started: a
	// cancelled attempt puts it back, with the token it left alone.
	before error
	cancel context.CancelFunc
	seq    int // bumps on every fetch, so a stale answer is dropped
	// pending is the interactive grant waiting for the person.
	pending *providers.Pending
	// clear names the config's endpoints that are plain http to a host
	// that is not loopback; disc is what discovery said, once it ran.
	clear []string
	disc  providers.DiscoveryNotes
	// spec is the provider's OpenAPI description, once the picker asked
	// for it.
	spec *specState
	// tell: the fetch in flight was asked for with r on this provider
	// while another is in use: the Token pane shows that other one, so
	// the status line says how it went.
	tell bool
}

// entries are the listed providers, in the config's order.
type entries []*entry

// named is the provider called name, or nil.
func (es entries) named(name string) *entry {
	if i := es.index(name); i >= 0 {
		return es[i]
	}
	return nil
}

// index is the place of the provider called name in the list, or -1.
func (es entries) index(name string) int {
	for i, e := range es {
		if e.name == name {
			return i
		}
	}
	return -1
}

// Model is the root model.
type Model struct {
	opts Options
	// keys and the panes' styles are shared with every component, which
	// keeps the pointers: the model is copied on every message, and these
	// are the largest values it has.
	keys *ui.KeyMap
	// panes are the provider list, token pane, composer and inspector,
	// with the styles and help they share (panes.go).
	panes

	width, height int
	now           time.Time

	backend  *app.Backend
	startErr error
	entries  entries
	// historyAsked is set once the history file's read has been asked
	// for (readHistory); historyWanted is an H pressed before it was
	// read: the picker opens once it is.
	historyAsked, historyWanted bool

	focus      pane
	lastBottom pane // the bottom pane shown when only one fits
	redact     bool
	notice     string

	// popups are drawn over the panes; the one on top gets every key
	// first (popupKey).
	popups  popupStack
	spinner spinner.Model

	// op is the operation last chosen in the picker, nil once another
	// request is.
	op *chosenOp
	// contractWant is a D or V waiting for its provider's spec.
	contractWant *contractWant

	// coll is the collection as last loaded, from is the .http request
	// the composer was filled from (its file's @vars are used at send),
	// and captures are the variables C set: this session's (collection.go,
	// collvars.go).
	coll     *collState
	from     *collOrigin
	captures map[string]vars.Value
	// answers are the last answers of the collection's named requests,
	// for VS Code's {{name.response.body.$.id}}.
	answers map[string]vars.Exchange
	// save is an S between its questions (collsave.go).
	save *pendingSave

	ex         *exchange.Exchange
	sending    bool
	sendCancel context.CancelFunc
	sendSeq    int
	sendStart  time.Time

	// env is the environment in force (see environment); envSeq numbers
	// the switches asked for, so that only the last one lands.
	env    *collenv.Layer
	envSeq int
	// dangerOK lets one send through the danger confirmation: the
	// person said y to it (see confirmDanger).
	dangerOK bool

	// watching is how many watch the shared session (share.go).
	watching int
}

// New builds the model. It does no I/O: anything slow is started by Init.
func New(opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.RefreshBefore == 0 {
		opts.RefreshBefore = config.DefaultRefreshBefore
	}
	st := ui.NewStyles(opts.Theme != "light")
	keys := ui.DefaultKeyMap()
	sharingKeys(&keys, opts.Share != nil)
	m := Model{
		opts:       opts,
		keys:       &keys,
		panes:      newPanes(&st, &keys),
		now:        opts.Now(),
		redact:     opts.Redact,
		lastBottom: paneRequest,
		spinner:    spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		coll:       &collState{},
	}
	m.notice = opts.Notice
	m.setEnvironment(opts.Environment)
	if opts.Backend != nil {
		m.setBackend(opts.Backend)
	} else {
		for _, name := range opts.Placeholder {
			m.entries = append(m.entries, &entry{name: name})
		}
	}
	// The first frame is drawn before any message: it needs the
	// components sized and filled as Update leaves them.
	m.resize()
	m.sync()
	return m
}

// Init starts the clock, asks the terminal for its background colour and
// starts the backend: all after the first frame.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tick(), tea.RequestBackgroundColor}
	if m.backend == nil && m.opts.Start != nil {
		cmds = append(cmds, startCmd(m.opts.Start))
	} else {
		cmds = append(cmds, m.peekAll())
		if m.opts.AutoFetch && len(m.entries) > 0 {
			cmds = append(cmds, func() tea.Msg { return autoSelectMsg{} })
		}
	}
	return tea.Batch(cmds...)
}

// setBackend lists the backend's providers.
func (m *Model) setBackend(b *app.Backend) {
	m.backend = b
	m.entries = m.entries[:0]
	for _, p := range b.Providers {
		m.entries = append(m.entries, &entry{name: p.Config.Name, Provider: p, clear: p.Config.ClearEndpoints()})
	}
	if b.Notice != "" {
		m.notice = b.Notice
	}
	if m.list.Cursor() >= len(m.entries) {
		m.list.SetCursor(0)
	}
}

// active is the provider in use, or nil.
func (m *Model) active() *entry {
	if i := m.list.Active(); i >= 0 && i < len(m.entries) {
		return m.entries[i]
	}
	return nil
}

// inFlight reports whether anything waits on the network, so the spinner
// keeps turning.
func (m *Model) inFlight() bool {
	if m.sending {
		return true
	}
	for _, e := range m.entries {
		if e.act != providers.Idle {
			return true
		}
	}
	return false
}

// typing reports whether an input has the keyboard: a composer field, or
// the popup on top (a prompt, a picker's filter, the paste box).
func (m *Model) typing() bool {
	if p := m.popups.top(); p != nil {
		return p.Typing()
	}
	return m.composer.Typing()
}
