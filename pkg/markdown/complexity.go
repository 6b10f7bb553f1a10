package markdown

import (
	"errors"
	"fmt"
	"strings"
)

// ErrTooComplex is returned for Markdown whose shape makes goldmark's
// parser quadratic: a single line nesting dozens of containers (> > > …,
// - - …, 1. 1. …), or hundreds of link openers "](" on one line. 64 KiB of
// either takes seconds to parse and 256 KiB half a minute; no real document
// looks like that, so it is refused before parsing.
var ErrTooComplex = errors.New("markdown is too deeply nested or too dense with links to render")

// Limits behind ErrTooComplex.
const (
	maxNesting          = 32  // container markers opening one line
	maxLinkOpenersALine = 256 // occurrences of "](" on one line
)

// checkComplexity returns a wrapped ErrTooComplex naming the line, or nil.
func checkComplexity(src string) error {
	for n, line := range strings.Split(src, "\n") {
		if strings.Count(line, "](") > maxLinkOpenersALine {
			return fmt.Errorf("%w: line %d has more than %d links", ErrTooComplex, n+1, maxLinkOpenersALine)
		}
		if nesting(line) > maxNesting {
			return fmt.Errorf("%w: line %d nests more than %d quotes or lists", ErrTooComplex, n+1, maxNesting)
		}
	}
	return nil
}

// nesting counts the block-quote and list markers that open a line.
func nesting(line string) int {
	depth := 0
	for depth <= maxNesting {
		line = strings.TrimLeft(line, " \t")
		switch {
		case strings.HasPrefix(line, ">"):
			line = line[1:]
		case len(line) >= 2 && strings.ContainsRune("-*+", rune(line[0])) && (line[1] == ' ' || line[1] == '\t'):
			line = line[2:]
		default:
			i := 0
			for i < len(line) && i < 9 && line[i] >= '0' && line[i] <= '9' {
				i++
			}
			if i == 0 || i+1 >= len(line) || (line[i] != '.' && line[i] != ')') || (line[i+1] != ' ' && line[i+1] != '\t') {
				return depth
			}
			line = line[i+2:]
		}
		depth++
	}
	return depth
}
