#!/bin/sh
# `rongcuo calendar`: the shipped schedules load; show lists a year's
# holidays and make-up days with its count of working days; add counts a
# deadline across 国庆 2024 and warns when it runs into a year without data;
# a broken file is reported as FILE:LINE:COL.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/calendar.sh
. "$(dirname "$0")/lib.sh.inc"
run 0 calendar check
has "4 years loaded, 0 errors" "calendar check"
has "2026  国务院办公厅关于2026年部分节假日安排的通知" "calendar check names the notice"
run 0 calendar show 2024
has "2024-09-29 周日  上班(调休)" "show: the 调休 Sunday before 国庆"
has "2024-10-01 周二  休息  国庆节" "show: 国庆"
has "2024: 251 working days" "show: the year's working days"
run 1 calendar show 2027
has "no data" "show a year without data"
run 0 calendar add 2024-09-27 5
has "2024-10-10" "5 working days from 2024-09-27 across 国庆"
run 1 calendar add 2026-12-28 4
has "2027-01-01" "a deadline into 2027"
grep -q "without holiday data" "$T/err" || bad "add into 2027: no warning"
run 2 calendar add 2024-02-30 1
run 2 calendar frobnicate
run 0 calendar --help
mkdir "$T/cal" && cp data/calendar/cn-2024.cal "$T/cal/" &&
	printf 'year 2025\nsource "x"\noff 2025-02-30 春节\n' >"$T/cal/cn-2025.cal"
run 1 calendar check "$T/cal"
grep -q "cn-2025.cal:3:5: error" "$T/err" || bad "broken file: $(head -n 2 "$T/err")"
finish "calendar: ok"
