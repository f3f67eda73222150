// Product words that obscenity's English dataset would flag (its patterns
// match word prefixes such as |ass, |cum, |rape). Added to its own whitelist.
export const EN_ALLOW: readonly string[] = [
  'assort', // assorted colours
  'cumin',
  'cummerbund',
  'rapeseed',
  'retardant', // flame-retardant fabric
  'shiitake',
  'dickies', // workwear brand
  'cockpit'
];
