// Package demotest plays the person at the built-in demo's pages, for the
// tests of the packages that sign in against it. Only tests import it.
package demotest

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Field is the value of the form field name on a demo page, "" when the
// page has none.
func Field(page []byte, name string) string {
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindSubmatch(page)
	if m == nil {
		return ""
	}
	return string(m[1])
}

// confirmation is the title of the page that answers each decision.
var confirmation = map[string]string{"approve": "Device connected", "deny": "Request denied"}

// DecideDevice plays the person at the device page with c: it opens
// pageURL (the verification_uri_complete, or /device?user_code= with the
// code as typed), reads the form and presses the button for action
// ("approve" or "deny") for userCode, or for the code the form shows when
// userCode is "". It fails unless the page had the form and confirmed the
// decision.
func DecideDevice(c *http.Client, pageURL, userCode, action string) error {
	want, ok := confirmation[action]
	if !ok {
		return fmt.Errorf("no device page action %q", action)
	}
	u, err := url.Parse(pageURL)
	if err != nil {
		return err
	}
	status, page, err := read(c.Get(pageURL))
	if err != nil {
		return fmt.Errorf("GET %s: %w", pageURL, err)
	}
	csrf, code := Field(page, "csrf_token"), Field(page, "user_code")
	if status != http.StatusOK || csrf == "" || code == "" {
		return fmt.Errorf("GET %s answered %d without the approval form:\n%s", pageURL, status, page)
	}
	if userCode == "" {
		userCode = code
	}
	form := url.Values{"user_code": {userCode}, "csrf_token": {csrf}, "action": {action}}
	status, page, err = read(c.PostForm(u.Scheme+"://"+u.Host+"/device", form))
	if err != nil {
		return fmt.Errorf("POST /device %s: %w", action, err)
	}
	if status != http.StatusOK || !strings.Contains(string(page), want) {
		return fmt.Errorf("POST /device %s answered %d without %q:\n%s", action, status, want, page)
	}
	return nil
}

// SignIn plays the person at the demo's authorization page, which
// approves its own clients at once: it opens authURL with c, following no
// redirect, and returns where the demo sends the browser back (the
// client's redirect_uri with the code and state), without going there.
func SignIn(c *http.Client, authURL string) (*url.URL, error) {
	noFollow := *c
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Get(authURL)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", authURL, err)
	}
	resp.Body.Close()
	back, err := resp.Location()
	if err != nil || resp.StatusCode/100 != 3 {
		return nil, fmt.Errorf("GET %s answered %s without a redirect", authURL, resp.Status)
	}
	return back, nil
}

func read(resp *http.Response, err error) (int, []byte, error) {
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}
