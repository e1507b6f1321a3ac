package tropic

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// ParsePeopleCount reads how many people someone saw, written as people write it:
// "4", "about 6", "around 10", "5-6", "5 to 6", "6 or 7", "10+", "six". A range
// counts as its larger end (more people is the safer reading); words for numbers
// go up to twenty. ok is false when s names no number, or more than one that is
// not a range; the count is then the caller's to refuse. The count is not checked
// against MaxPeopleCount here.
func ParsePeopleCount(s string) (count int, ok bool) {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '–' || r == '+' || r == '~' || r == ',' || r == '.'
	})
	var nums []int
	for _, f := range fields {
		if strings.Trim(f, "0123456789") == "" {
			n, err := strconv.Atoi(f)
			if err != nil {
				n = math.MaxInt // too many digits: a count no form accepts
			}
			nums = append(nums, n)
			continue
		}
		if n, found := numberWords[f]; found {
			nums = append(nums, n)
			continue
		}
		if !countFillers[f] {
			return 0, false
		}
	}
	switch len(nums) {
	case 1:
		return nums[0], true
	case 2:
		if nums[0] <= nums[1] {
			return nums[1], true
		}
	}
	return 0, false
}

// countFillers are the words around a number that do not change it.
var countFillers = map[string]bool{
	"about": true, "around": true, "approx": true, "approximately": true, "roughly": true, "maybe": true,
	"perhaps": true, "at": true, "least": true, "over": true, "more": true, "than": true, "or": true,
	"to": true, "people": true, "persons": true, "men": true, "women": true, "of": true, "them": true,
	"circa": true, "c": true, "ish": true, "a": true, "couple": true,
}

var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "dozen": 12,
}
