// elglob as a substitution directive. The full glob(3) implementation belongs to the rest of the
// execline suite; until then the directive is refused the way the reference refuses bad input.
import { DirectiveError, type Directive } from './directives.js';

export const elglobDirective: Directive = () => {
  throw new DirectiveError('system', 'elglob is not implemented yet');
};
