package spec

// Description is op's description in the document, "" when it has none
// or the document cannot be read. Like Skeleton it reads the document,
// parsed on first use: call it off the UI loop.
func (s *Spec) Description(op *Operation) string {
	d := s.doc()
	if d == nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := d.resolve("#" + op.Pointer)
	if err != nil {
		return ""
	}
	return v.Get("description").String()
}
