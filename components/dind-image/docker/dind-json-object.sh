#!/bin/sh
# dind-json-object.sh: check that a JSON text is one JSON object and list its top-level keys.
#
# Its one job: answer "is this daemon.json text an object, and which keys does it set at
# the top level?" without adding packages to the image.
#
# Usage: dind-json-object.sh < TEXT
#   exit 0: TEXT is a JSON object; stdout has one line per top-level member:
#           KEY <TAB> TYPE <TAB> VALUE
#           TYPE is object|array|string|number|boolean|null; VALUE is the value of a
#           string member (empty otherwise). Tabs and newlines inside KEY/VALUE become spaces.
#   exit 2: TEXT is not a JSON object; the reason is on stderr, stdout is empty.
#
# Checker: python3 when present, else jq, else a small JSON parser in awk (the image
# ships neither python3 nor jq). DIND_JSON_TOOL=python3|jq|awk forces one (for tests).
#
# Limitations of the awk parser (documented, accepted):
#   - it checks the JSON grammar (strings, escapes, numbers, literals, nesting, commas)
#     but not that the text is valid UTF-8;
#   - \uXXXX escapes in keys are decoded only for ASCII code points; a key spelt with a
#     non-ASCII escape is listed with the escape left as is;
#   - duplicate keys are all listed (python3 and jq keep only the last one), which errs
#     on the safe side for callers that refuse keys.
# python3 and jq have their own leniencies (python3 takes NaN/Infinity, jq takes numbers
# with leading zeros); dockerd stays the final judge of everything but the object shape.
set -eu

text=$(cat)

# The minimum any checker agrees on: after trimming whitespace, the text is non-empty
# and is wrapped in braces.
trimmed=$(printf '%s\n' "$text" | awk '{ t = t s $0; s = "\n" } END { sub(/^[ \t\r\n]+/, "", t); sub(/[ \t\r\n]+$/, "", t); print t }')
case "$trimmed" in
'')
	echo "it is empty (or only whitespace)" >&2
	exit 2
	;;
'{'*'}') ;;
*)
	echo "a JSON object starts with '{' and ends with '}' (after whitespace); this text starts with '$(printf '%.20s' "$trimmed")'" >&2
	exit 2
	;;
esac

tool=${DIND_JSON_TOOL:-}
if [ -z "$tool" ]; then
	if command -v python3 >/dev/null 2>&1; then
		tool="python3"
	elif command -v jq >/dev/null 2>&1; then
		tool="jq"
	else
		tool="awk"
	fi
fi

tmp_out=$(mktemp)
tmp_err=$(mktemp)
trap 'rm -f "$tmp_out" "$tmp_err"' EXIT

case "$tool" in
python3)
	# shellcheck disable=SC2016 # Python source, not shell.
	py='import json, sys
def kind(v):
    if isinstance(v, dict): return "object"
    if isinstance(v, list): return "array"
    if isinstance(v, str): return "string"
    if isinstance(v, bool): return "boolean"
    if v is None: return "null"
    return "number"
def flat(s): return s.replace("\t", " ").replace("\n", " ").replace("\r", " ")
try:
    doc = json.loads(sys.stdin.read())
except ValueError as e:
    sys.stderr.write("not valid JSON: %s\n" % e); sys.exit(2)
if not isinstance(doc, dict):
    sys.stderr.write("the top-level value is a JSON %s, not an object\n" % kind(doc)); sys.exit(2)
for k, v in doc.items():
    sys.stdout.write("%s\t%s\t%s\n" % (flat(k), kind(v), flat(v) if isinstance(v, str) else ""))'
	rc=0
	printf '%s' "$text" | python3 -c "$py" >"$tmp_out" 2>"$tmp_err" || rc=$?
	;;
jq)
	rc=0
	printf '%s' "$text" | jq -rs '
		if length != 1 then error("expected one JSON value, found \(length)") else .[0] end
		| if type != "object" then error("the top-level value is a JSON \(type), not an object") else . end
		| to_entries[]
		| [.key, (.value | type), (if (.value | type) == "string" then .value else "" end)]
		| map(gsub("[\t\r\n]"; " ")) | join("\t")' >"$tmp_out" 2>"$tmp_err" || rc=$?
	# jq reports a syntax error with status 2 or 5 and an error() with 5: all mean "not an object".
	[ "$rc" -eq 0 ] || rc=2
	;;
awk)
	rc=0
	printf '%s\n' "$text" | awk '
	function fail(msg) {
		printf "not valid JSON: %s (at character %d)\n", msg, pos > "/dev/stderr"
		failed = 1
		exit 2
	}
	function ws() {
		while (pos <= n && index(" \t\r\n", substr(text, pos, 1)) > 0) pos++
	}
	function hexval(h,   i, v) {
		v = 0
		for (i = 1; i <= 4; i++) v = v * 16 + index("0123456789abcdef", tolower(substr(h, i, 1))) - 1
		return v
	}
	# str: parses the string starting at pos (a double quote); returns its value.
	function str(   c, e, h, out) {
		pos++
		out = ""
		while (1) {
			if (pos > n) fail("unterminated string")
			c = substr(text, pos, 1)
			if (c == "\"") { pos++; return out }
			if (index(ctl, c) > 0) fail("raw control character in a string")
			if (c != "\\") { out = out c; pos++; continue }
			e = substr(text, pos + 1, 1)
			if (e == "u") {
				h = substr(text, pos + 2, 4)
				if (h !~ /^[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]$/) fail("bad \\u escape")
				if (hexval(h) > 0 && hexval(h) < 128) out = out sprintf("%c", hexval(h))
				else out = out "\\u" h
				pos += 6
				continue
			}
			if (e == "n" || e == "t" || e == "r") out = out " "
			else if (e == "b" || e == "f") out = out
			else if (e == "\"" || e == "\\" || e == "/") out = out e
			else fail("bad escape \\" e)
			pos += 2
		}
	}
	# value: parses any value at pos; returns its type (and sets sval for strings).
	function value(depth,   c, rest) {
		ws()
		if (pos > n) fail("unexpected end of text")
		c = substr(text, pos, 1)
		if (c == "{") { object(depth + 1); return "object" }
		if (c == "[") { array(depth + 1); return "array" }
		if (c == "\"") { sval = str(); return "string" }
		rest = substr(text, pos, 40)
		if (match(rest, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) { pos += RLENGTH; return "number" }
		if (substr(rest, 1, 4) == "true") { pos += 4; return "boolean" }
		if (substr(rest, 1, 5) == "false") { pos += 5; return "boolean" }
		if (substr(rest, 1, 4) == "null") { pos += 4; return "null" }
		fail("unexpected \"" substr(rest, 1, 10) "\"")
	}
	function array(depth,   c) {
		pos++
		ws()
		if (substr(text, pos, 1) == "]") { pos++; return }
		while (1) {
			value(depth)
			ws()
			c = substr(text, pos, 1)
			if (c == ",") { pos++; continue }
			if (c == "]") { pos++; return }
			fail("expected \",\" or \"]\" in an array")
		}
	}
	function object(depth,   c, key, kind) {
		pos++
		ws()
		if (substr(text, pos, 1) == "}") { pos++; return }
		while (1) {
			ws()
			if (substr(text, pos, 1) != "\"") fail("expected a double-quoted key")
			key = str()
			ws()
			if (substr(text, pos, 1) != ":") fail("expected \":\" after the key \"" key "\"")
			pos++
			sval = ""
			kind = value(depth)
			if (depth == 1) {
				gsub(/[\t\r\n]/, " ", key)
				if (kind != "string") sval = ""
				gsub(/[\t\r\n]/, " ", sval)
				members = members key "\t" kind "\t" sval "\n"
			}
			ws()
			c = substr(text, pos, 1)
			if (c == ",") { pos++; continue }
			if (c == "}") { pos++; return }
			fail("expected \",\" or \"}\" after the value of \"" key "\"")
		}
	}
	BEGIN { for (i = 1; i < 32; i++) ctl = ctl sprintf("%c", i) }
	{ text = text sep $0; sep = "\n" }
	END {
		if (failed) exit 2
		n = length(text)
		pos = 1
		ws()
		if (substr(text, pos, 1) != "{") fail("the top-level value is not an object")
		object(1)
		ws()
		if (pos <= n) fail("unexpected text after the closing \"}\"")
		printf "%s", members
	}' >"$tmp_out" 2>"$tmp_err" || rc=$?
	;;
*)
	echo "DIND_JSON_TOOL must be python3, jq or awk; got '$tool'" >&2
	exit 1
	;;
esac

if [ "$rc" -ne 0 ]; then
	reason=$(cat "$tmp_err")
	echo "${reason:-the $tool checker failed (exit $rc)} [checked with $tool]" >&2
	exit 2
fi
cat "$tmp_out"
