// Package paging is the one shape of a page of a list, shared by every
// service that lists things and by the HTTP layer that shows them. It is a
// leaf: it imports nothing of Folio's.
package paging

// Page is one page of a list: its items, the total over every page, and
// which page it is.
type Page[T any] struct {
	Items   []T
	Total   int64
	Page    int // from 1
	PerPage int
}

// TotalPages returns how many pages the whole list has.
func (p Page[T]) TotalPages() int {
	if p.PerPage <= 0 {
		return 0
	}
	return int((p.Total + int64(p.PerPage) - 1) / int64(p.PerPage))
}
