/**
 * The numbers stored value is held to. The caps come from the
 * single-purpose prepaid card rules (《单用途商业预付卡管理办法（试行）》,
 * 商务部令 2012 年第 9 号, under 国办发〔2011〕25 号; see
 * docs/platform-apis-2.md §9): a shop's in-app 储值 balance is treated as a
 * prepaid card of the shop.
 */

/** 记名卡 (a registered card: the member has a phone on record) may hold at most 5 000 yuan. */
export const prepaid_card_registered_cap_fen = 500_000;
/** 不记名卡 (an anonymous card: no phone on record) may hold at most 1 000 yuan. */
export const prepaid_card_anonymous_cap_fen = 100_000;
/** What a merchant's cap per card is until the owner sets a lower one: the registered card's legal cap. */
export const stored_value_balance_cap_default_fen = prepaid_card_registered_cap_fen;
/** A card surrendered (退卡) is paid to a same-name bank account; up to 100 yuan may be paid in cash. */
export const prepaid_card_surrender_cash_max_fen = 10_000;
/** Plans a merchant offers at once: a short menu, not a catalogue. */
export const stored_value_active_plans_max = 20;
/** Movements a statement page lists. */
export const stored_value_statement_rows_max = 200;
