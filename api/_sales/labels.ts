export { adjustmentLabel, lineLevelKinds } from '../../shared/pricing/labels.js';

export { tenderLabels } from '../../shared/tender-labels.js';
