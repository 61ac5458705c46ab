-- message_send_attempts keeps unfinished sends only: send-to-bridge now deletes a duplicate's row
-- in the statement that stores the bridge's outcome (sent or error). Before, every row stayed,
-- and the recovery route's query, which looks for duplicates still 'created', read the whole
-- messages table every RECOVERY_INTERVAL_MS (1.3 million messages: ~250 ms of database time
-- every 10 s). This removes the rows of sends that finished.
DELETE FROM message_send_attempts a
USING messages m
WHERE m.id = a.message_id
  AND m.status <> 'created';
