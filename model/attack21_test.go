package model

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSendMasksASecretAsItWasEncoded: a private env value with a space
// and a '!' goes percent-encoded in the URL's query (open%20sesame!); the
// request as sent on screen and in the history masks it in that form
// too. It showed as sent.
func TestSendMasksASecretAsItWasEncoded(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	writeFile(t, dir, "items.http", "### echo\n# @name echo\nGET "+api.URL+"/echo?who={{who}}\n")
	writeFile(t, dir, "http-client.env.json", `{"dev": {}}`)
	writeFile(t, dir, "http-client.private.env.json", `{"dev": {"who": "open sesame!"}}`)
	rec, hist := sendEchoInDev(t, dir, staticProvider("api", api.URL, "tok-api-1111", ""))
	reqs := api.All()
	if len(reqs) != 1 || reqs[0].Query != "who=open%20sesame!" {
		t.Fatalf("sent %+v: %q", reqs, rec.m.notice)
	}
	rec.noLeak("open%20sesame!")
	list := hist.List()
	if len(list) != 1 {
		t.Fatalf("history holds %d entries", len(list))
	}
	if data, _ := json.Marshal(list[0]); strings.Contains(string(data), "sesame") {
		t.Errorf("history holds the private env file's value: %s", data)
	}
}
