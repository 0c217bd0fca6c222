/** Widget invoices (shared/app/widget.ts): what marks them apart from the merchant's own. */

/**
 * A widget invoice's order id is `widget:<the snippet's order id>`. Anyone can post any order id
 * with any amount from a listed origin, so it must never equal an order id the merchant's API
 * invoices use: a shop plugin that marks order 123 paid on a signed postback for `order_id` 123
 * would otherwise take a visitor's 1-cent widget invoice for the 500-euro order.
 */
export const WIDGET_ORDER_PREFIX = 'widget:';
export const widgetOrderId = (orderId: string | null): string | null => (orderId === null ? null : `${WIDGET_ORDER_PREFIX}${orderId}`);
