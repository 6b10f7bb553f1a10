package markdown

import "strings"

// Level-2 headings and fenced code, line by line, as Folio's content files
// read them: a case study's file cuts its body into sections at its "## "
// lines outside fenced code, so the same two rules decide both how a file
// is read (contentfs) and what a section may contain (content), and
// whatever a section may contain comes back whole from its file.

// Fence follows fenced code blocks (``` or ~~~, three or more) line by line.
type Fence struct{ open string }

// Code reports whether line is fenced code: a line inside a fence, or one
// that opens or closes a fence.
func (f *Fence) Code(line string) bool {
	trimmed := strings.TrimSpace(line)
	if f.open != "" {
		if strings.HasPrefix(trimmed, f.open) && strings.Trim(trimmed, f.open[:1]) == "" {
			f.open = ""
		}
		return true
	}
	for _, c := range []string{"`", "~"} {
		if strings.HasPrefix(trimmed, c+c+c) {
			n := len(trimmed) - len(strings.TrimLeft(trimmed, c))
			f.open = strings.Repeat(c, n)
			return true
		}
	}
	return false
}

// Open reports whether a fence opened and was not closed yet.
func (f *Fence) Open() bool { return f.open != "" }

// Level2 reports whether line (outside fenced code) is a level-2 heading
// ("## Title" at the start of the line), and its title.
func Level2(line string) (title string, ok bool) {
	if !strings.HasPrefix(line, "## ") && line != "##" {
		return "", false
	}
	return strings.TrimSpace(strings.TrimPrefix(line, "##")), true
}
