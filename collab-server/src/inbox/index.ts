// Notifications: the server writes each user's inbox document (`user/<uid>/inbox`) — mentions,
// finished AI replies, invitations — and holds its owner to flipping `read` only.
export { createNotifier, type Notifier, type NotifierOptions } from "./notifier";
export { createInboxGuard } from "./inbox-guard";
