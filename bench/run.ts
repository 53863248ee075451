import { catalogList } from './catalog-list';
import { checkoutTps } from './checkout';
import { checkoutMemberTps } from './checkout-member';
import { barcodeLookup } from './barcode';
import { notifyApplied } from './notify';
import { print } from './figure';
import { reportP95 } from './report-p95';
import { reconcileBench } from './reconcile';
import { coldStartBench } from './cold-start';
import { catalogImportBench } from './catalog-import';
import { fanoutBench } from './fanout';

/** `npm run bench`: every figure, one JSON line each. `npm run bench -- checkout` runs the figures whose name contains a word. */
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.some((w) => name.includes(w));

if (want('catalog_list')) print(await catalogList());
if (want('checkout_tps')) for (const f of await checkoutTps()) print(f);
if (want('checkout_member')) for (const f of await checkoutMemberTps()) print(f);
if (want('barcode')) print(await barcodeLookup());
if (want('notify')) print(await notifyApplied());
if (want('report_p95')) for (const f of await reportP95()) print(f);
if (want('reconcile')) for (const f of await reconcileBench()) print(f);
if (want('cold_start')) print(await coldStartBench());
if (want('catalog_import')) for (const f of await catalogImportBench()) print(f);
if (want('fanout')) for (const f of await fanoutBench()) print(f);
process.exit(0);
