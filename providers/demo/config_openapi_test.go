package demo_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
	oaspec "github.com/keyhole-sh/keyhole/spec"
)

// TestConfigPointsAtOpenAPI: every provider of the demo config names the
// running server's description, which loads without a token and lists
// the item routes, so the picker shows them out of the box.
func TestConfigPointsAtOpenAPI(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	cfg, err := config.Parse("demo.toml", []byte(demo.Config(srv.URL())))
	if err != nil {
		t.Fatal(err)
	}
	client := providers.NewClient(&http.Client{})
	for _, p := range cfg.Providers {
		if want := srv.URL() + demo.OpenAPIPath; p.OpenAPI != want {
			t.Errorf("%s: openapi = %q, want %q", p.Name, p.OpenAPI, want)
			continue
		}
		s, err := oaspec.Load(context.Background(), p.OpenAPI, oaspec.Options{
			Client: client, TokenOrigin: p.BaseURL,
			// The description is public: loading it must not cost a token.
			Authorize: func(*http.Request) error { return nil },
		})
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		op, ok := s.Index.Find("getItem")
		if !ok || op.Method != "GET" || op.Path != "/api/items/{id}" {
			t.Errorf("%s: getItem = %+v, %v", p.Name, op, ok)
		}
	}
}
