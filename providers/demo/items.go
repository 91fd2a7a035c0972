package demo

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The limits of a created item. They keep the store's memory bounded: at
// most maxCreatedItems of a few kilobytes each, whatever clients send.
const (
	maxCreatedItems = 1000
	maxNameLen      = 200 // characters
	maxTags         = 10
	maxTagLen       = 40 // characters
)

// itemStore keeps the items created with POST /api/items while the server
// runs: the newest maxCreatedItems, oldest first, which is also the order
// GET /api/items lists them in, after the fixed items. Ids are never
// reused, so an item dropped or deleted stays 404.
type itemStore struct {
	mu      sync.Mutex
	last    int    // number of the last item created; ids follow the fixed items
	created []item // oldest first; an item is never changed once stored
}

// add stores a new item and returns it, dropping the oldest when full.
func (st *itemStore) add(name string, tags []string, price float64, now time.Time) item {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.last++
	it := item{
		ID:        itemID(itemCount + st.last),
		Name:      name,
		Tags:      tags,
		Price:     price,
		Currency:  "EUR",
		InStock:   true,
		CreatedAt: now.UTC().Format(time.RFC3339),
	}
	if len(st.created) == maxCreatedItems {
		st.created = slices.Delete(st.created, 0, 1)
	}
	st.created = append(st.created, it)
	return it
}

// get returns the created item with id.
func (st *itemStore) get(id string) (item, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	i := slices.IndexFunc(st.created, func(it item) bool { return it.ID == id })
	if i < 0 {
		return item{}, false
	}
	return st.created[i], true
}

// remove deletes the created item with id and reports whether it was there.
func (st *itemStore) remove(id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	n := len(st.created)
	st.created = slices.DeleteFunc(st.created, func(it item) bool { return it.ID == id })
	return len(st.created) < n
}

// page returns one page of the fixed items followed by the created ones.
func (st *itemStore) page(page int) itemPage {
	st.mu.Lock()
	defer st.mu.Unlock()
	return sampleItemPage(page, st.created) // copies what it lists
}

// fixedItem returns the fixed item whose id is exactly id, as itemID
// writes it: "itm_0007", not "itm_7" or "itm_00007".
func fixedItem(id string) (item, bool) {
	digits, ok := strings.CutPrefix(id, "itm_")
	if !ok {
		return item{}, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 || n > itemCount || itemID(n) != id {
		return item{}, false
	}
	return sampleItem(n), true
}

// handleListItems serves one page of the items.
func (s *Server) handleListItems(w http.ResponseWriter, r *http.Request, _ tokenInfo) {
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "invalid_request", "page must be a whole number from 1 up.")
			return
		}
		page = n
	}
	p := s.items.page(page)
	if p.Next != nil {
		w.Header().Add("Link", "<"+*p.Next+`>; rel="next"`)
	}
	if p.Prev != nil {
		w.Header().Add("Link", "<"+*p.Prev+`>; rel="prev"`)
	}
	writeJSON(w, http.StatusOK, p)
}

// handleCreateItem validates a new item and stores it.
func (s *Server) handleCreateItem(w http.ResponseWriter, r *http.Request, _ tokenInfo) {
	var in struct {
		Name  *string  `json:"name"`
		Tags  []string `json:"tags"`
		Price *float64 `json:"price"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(&in); err != nil {
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "too_large", "The body must be at most 1 MiB.")
			return
		}
		writeError(w, http.StatusBadRequest, "invalid_json", "The body must be a JSON object such as {\"name\": \"Brass Hinge\"}: "+err.Error())
		return
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, "invalid_json", "The body must hold a single JSON object.")
		return
	}
	if msg := checkNewItem(in.Name, in.Tags, in.Price); msg != "" {
		writeError(w, http.StatusBadRequest, "invalid_item", msg)
		return
	}
	price := 0.0
	if in.Price != nil {
		price = *in.Price
	}
	created := s.items.add(strings.TrimSpace(*in.Name), nonNil(in.Tags), price, time.Now())
	w.Header().Set("Location", "/api/items/"+created.ID)
	writeJSON(w, http.StatusCreated, created)
}

// checkNewItem says what is wrong with a new item, or "" when nothing is.
func checkNewItem(name *string, tags []string, price *float64) string {
	switch {
	case name == nil || strings.TrimSpace(*name) == "":
		return "name is required and must not be empty."
	case utf8.RuneCountInString(strings.TrimSpace(*name)) > maxNameLen:
		return "name must be at most " + strconv.Itoa(maxNameLen) + " characters."
	case len(tags) > maxTags:
		return "an item has at most " + strconv.Itoa(maxTags) + " tags."
	case price != nil && *price < 0:
		return "price must not be negative."
	}
	for _, tag := range tags {
		if utf8.RuneCountInString(tag) > maxTagLen {
			return "each tag must be at most " + strconv.Itoa(maxTagLen) + " characters."
		}
	}
	return ""
}

// handleGetItem serves one item, fixed or created.
func (s *Server) handleGetItem(w http.ResponseWriter, r *http.Request, _ tokenInfo) {
	id := r.PathValue("id")
	if it, ok := fixedItem(id); ok {
		writeJSON(w, http.StatusOK, it)
		return
	}
	if it, ok := s.items.get(id); ok {
		writeJSON(w, http.StatusOK, it)
		return
	}
	itemNotFound(w, id)
}

// handleDeleteItem deletes a created item. The fixed items are the
// catalogue everyone shares, so deleting one is refused with 405 and
// Allow: GET: RFC 9110 §15.5.6 makes 405 the answer for a method the
// target resource does not support, which is the case whoever asks. A 403
// would say the caller lacks a right, and this API's 403 already means a
// missing scope: a client would look for a scope that does not exist.
func (s *Server) handleDeleteItem(w http.ResponseWriter, r *http.Request, _ tokenInfo) {
	id := r.PathValue("id")
	if _, ok := fixedItem(id); ok {
		w.Header().Set("Allow", "GET")
		writeError(w, http.StatusMethodNotAllowed, "read_only",
			id+" is one of the "+strconv.Itoa(itemCount)+" fixed sample items, which cannot be deleted; only items created with POST /api/items can.")
		return
	}
	if !s.items.remove(id) {
		itemNotFound(w, id)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// itemNotFound writes the 404 for id, quoting it only when it is short: a
// client chose it, and a 4 KB id echoed back helps no one.
func itemNotFound(w http.ResponseWriter, id string) {
	what := "that id"
	if len(id) <= 40 {
		what = strconv.Quote(id)
	}
	writeError(w, http.StatusNotFound, "not_found",
		"There is no item "+what+". Items created with POST /api/items live as long as this demo server, the newest "+
			strconv.Itoa(maxCreatedItems)+" of them, until deleted.")
}
