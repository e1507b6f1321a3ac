package web

// pageLink is one numbered link, or an ellipsis, in GOV.UK pagination.
type pageLink struct {
	Number   int
	Href     string
	Current  bool
	Ellipsis bool
}

// pagination is GOV.UK pagination for a list page.
type pagination struct {
	Prev  string // href, "" on the first page
	Next  string // href, "" on the last page
	Items []pageLink
	Label string // what the pages are of, for assistive technology; "" for cases
}

// pageCount is how many pages of size hold total rows.
func pageCount(total, size int) int {
	return (total + size - 1) / size
}

// newPagination builds the pagination of a list of total rows, size a page, with page
// the one shown and href the link to page n; nil when one page holds everything. It
// links the first and last pages and the pages either side of the current one.
func newPagination(page, size, total int, href func(n int) string) *pagination {
	pages := pageCount(total, size)
	if pages <= 1 {
		return nil
	}
	cur := min(max(page, 1), pages)
	p := &pagination{}
	if cur > 1 {
		p.Prev = href(cur - 1)
	}
	if cur < pages {
		p.Next = href(cur + 1)
	}
	for n := 1; n <= pages; n++ {
		switch {
		case n == 1 || n == pages || (n >= cur-1 && n <= cur+1):
			p.Items = append(p.Items, pageLink{Number: n, Href: href(n), Current: n == cur})
		case len(p.Items) > 0 && !p.Items[len(p.Items)-1].Ellipsis:
			p.Items = append(p.Items, pageLink{Ellipsis: true})
		}
	}
	return p
}
