# execline-ts example: the shape of an s6 run script (run it with `npm run example`).
# Substitution, a split value, environment import with a default, blocks run as children with
# their exit status, a test, and a final program that takes over the interpreter's PID.
define -s GREETINGS "hello bonjour hallo"
importas -D "world" WHO EXAMPLE_WHO
foreground { s6-echo -- "greeting ${WHO} in" ${GREETINGS} }
foreground { sh -c "exit 3" }
importas -u STATUS ?
if { eltest ${STATUS} -eq 3 }
export SCRIPT_PID_CHECK yes
sh -c "echo \"the last block exited ${STATUS}; this is the final program, still the script's PID: $$\""
