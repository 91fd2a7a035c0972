package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/keyhole-sh/keyhole/exchange/document"
)

// The response body leaves keyhole two ways: y copies it (OSC 52), s
// writes it to a new file.

type savedMsg struct {
	path string
	err  error
}

// saveCmd writes the body to a new file; it never overwrites one.
func saveCmd(path string, body []byte) tea.Cmd {
	return func() tea.Msg {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return savedMsg{path: path, err: err}
		}
		_, err = f.Write(body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return savedMsg{path: path, err: err}
	}
}

// maxClipboard caps what OSC 52 carries: terminals drop or choke on
// sequences of many megabytes.
const maxClipboard = 1 << 20

func (m Model) copyBody() (tea.Model, tea.Cmd) {
	body := m.insp.body()
	switch {
	case body == nil:
		m.notice = "no body to copy"
		return m, nil
	case len(body) > maxClipboard:
		m.notice = fmt.Sprintf("the body is %s, too big for the clipboard: s saves it to a file", document.HumanSize(int64(len(body))))
		return m, nil
	}
	m.notice = "body copied to the clipboard (OSC 52)"
	return m, tea.SetClipboard(string(body))
}

// suggestedName is the save prompt's default file name.
func suggestedName(contentType string) string {
	switch {
	case document.IsJSON(contentType):
		return "response.json"
	case strings.Contains(contentType, "html"):
		return "response.html"
	case strings.Contains(contentType, "xml"):
		return "response.xml"
	case strings.HasPrefix(contentType, "text/"):
		return "response.txt"
	}
	return "response.bin"
}

func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

func (m Model) onSaved(msg savedMsg) (tea.Model, tea.Cmd) {
	switch {
	case errors.Is(msg.err, os.ErrExist):
		m.notice = msg.path + " exists: keyhole does not overwrite; s to choose another name"
	case msg.err != nil:
		m.notice = "save: " + msg.err.Error()
	default:
		m.notice = "saved the body to " + msg.path
	}
	return m, nil
}
