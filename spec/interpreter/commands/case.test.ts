// case against the reference: regex (ERE and BRE) and shell matching, every option, the
// subexpression variables, leftmost-longest matches, REG_NEWLINE, and the error paths.
import { describe, it } from 'vitest';
import { same } from './compare.js';

/** The environment the matched program gets, minus PATH. */
const ENV = `sh -c "tr '\\\\0' '\\\\n' < /proc/$$/environ | sed -e /^PATH=/d"`;

describe('case', () => {
  it.each([
    // regular expressions (-S, -E: the defaults)
    `case -N foooobarbaz { "([fo]+)bar(baz)" { ${ENV} } } echo no`,
    'case x { y { echo y } x { echo x1 } x { echo x2 } } echo no',
    'case z { y { echo y } x { echo x } } echo default',
    'case z { y { echo y } }',
    'case x { } echo default',
    'case abc { b { echo sub } } echo whole',
    'case abc { "a|c" { echo yes } } echo no',
    'case 5a { "[[:digit:]][[:alpha:]]" { echo yes } } echo no',
    'case aaa { "a{2,3}" { echo yes } } echo no',
    'case aa { "a**" { echo yes } } echo no',
    'case -S -E -n x { x { echo yes } } echo no',
    'case -s -S abc { "a.c" { echo yes } } echo no',
    'case -- -x { -x { echo yes } } echo no',
    'case x { x { } } echo no',
    // subexpressions
    `case -N xab { "x|xab" { ${ENV} } } echo no`,
    `case -N 2024-01-15 { "([[:digit:]]{4})-([0-9]{2})-([0-9]+)" { ${ENV} } } echo no`,
    `case -N ab { "(a)?b(c)?" { ${ENV} } } echo no`,
    `case -N x { x { ${ENV} } } echo no`,
    `case -N abcd { "(a|ab)(c|bcd)(d*)" { ${ENV} } } echo no`,
    `case -N abab { "(ab)*" { ${ENV} } } echo no`,
    `case -N aaa { "(a*)(a*)" { ${ENV} } } echo no`,
    `case -N xyz { "(x)|(y)z" { ${ENV} } } echo no`,
    `case -N x { y { echo y } } ${ENV}`,
    `case -n x { x { ${ENV} } } echo no`,
    `case -N -n x { x { ${ENV} } } echo no`,
    // basic regular expressions
    'case -e ab+ { "ab+" { echo yes } } echo no',
    'case -e abb { "ab\\\\+" { echo yes } } echo no',
    `case -e -N aa { "\\\\(a\\\\)\\\\1" { ${ENV} } } echo no`,
    'case -e aa { "a\\\\{2\\\\}" { echo yes } } echo no',
    'case -e "a{2}" { "a{2}" { echo yes } } echo no',
    'case -e "*a" { "*a" { echo yes } } echo no',
    'case -e "a^b" { "a^b" { echo yes } } echo no',
    'case -e "a|b" { "a|b" { echo yes } } echo no',
    'case -e -E ab { "a(b)" { echo yes } } echo no',
    // -i, REG_NEWLINE
    'case -i ABC { "a[b]c" { echo yes } } echo no',
    'case -i abc { "[[:upper:]]*" { echo yes } } echo no',
    'case ABC { abc { echo yes } } echo no',
    'case "a\nb" { b { echo yes } } echo no',
    'case "a\nb" { "a.b" { echo yes } } echo no',
    'case "a\nb" { "a[^x]b" { echo yes } } echo no',
    // shell patterns
    'case -s abc { "a*" { echo yes } } echo no',
    'case -s abc { "a.c" { echo yes } } echo no',
    'case -s .abc { "*abc" { echo yes } } echo no',
    'case -s -i .abc { "*abc" { echo yes } } echo no',
    'case -s -N a/b { "a*" { echo yes } } echo no',
    'case -s -N a/b { "a/?" { echo yes } } echo no',
    'case -s a/b { "a*" { echo yes } } echo no',
    'case -s "a*" { "a\\\\*" { echo yes } } echo no',
    'case -s -e "a\\\\b" { "a\\\\b" { echo yes } } echo no',
    'case -s b { "[!a]" { echo yes } } echo no',
    'case -s 5 { "[[:digit:]]" { echo yes } } echo no',
    'case -s a { "[" { echo yes } } echo no',
    `case -s -N ab { "a?" { ${ENV} } } echo no`,
  ])('%s', (script) => {
    same(script);
  });

  it.each([
    'case x { "(" { echo yes } } echo no',
    'case x { "a{1" { echo yes } } echo no',
    'case x { "[[:foo:]]" { echo yes } } echo no',
    'case x { "(" { } } echo no',
    'case x { x { echo x } "(" { echo y } } echo no',
    'case x { "[z-a]" { echo y } } echo no',
    'case x { x } echo no',
    'case x { y { echo hi } z } echo no',
    'case x',
    'case -z x { x { echo yes } } echo no',
    'case x { x { echo hi }',
  ])('error: %s', (script) => {
    same(script);
  });
});
