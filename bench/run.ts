import { catalogList } from './catalog-list';
import { print } from './figure';

/** `npm run bench`: every figure, one JSON line each. */
print(await catalogList());
process.exit(0);
