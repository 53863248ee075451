/** The screens' tender names come from the one table the receipt and reports use. */
export { tenderLabel, tenderLabels } from '../../shared/tender-labels';
