package spec

import "testing"

func TestDescription(t *testing.T) {
	s, err := Parse("d.json", []byte(`{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a/{id}":{"get":{"operationId":"getA","description":"Reads one A.\nLonger text.","responses":{"200":{"description":"ok"}}},"put":{"operationId":"putA","responses":{"200":{"description":"ok"}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	get, _ := s.Index.Find("getA")
	if got := s.Description(get); got != "Reads one A.\nLonger text." {
		t.Errorf("getA: %q", got)
	}
	put, _ := s.Index.Find("putA")
	if got := s.Description(put); got != "" {
		t.Errorf("putA: %q", got)
	}
}
