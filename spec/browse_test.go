package spec

import "testing"

func TestDescription(t *testing.T) {
	s, err := Parse("d.json", []byte(`{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a/{id}":{"get":{"operationId":"getA","description":"Reads one A.\nLonger text.","responses":{"200":{"description":"ok"}}},"put":{"operationId":"putA","responses":{"200":{"description":"ok"}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"getA": "Reads one A.\nLonger text.", "putA": ""} {
		op, _ := s.Index.Find(id)
		if got := s.Description(op); got != want {
			t.Errorf("%s: %q", id, got)
		}
	}
}
