odoo.define('prm_partner_portal.exchange', function (require) {
    'use strict';

    /**
     * Live updates of an open exchange channel (/my/exchange/<id>).
     *
     * The page listens on Odoo's longpolling bus: one long poll of
     * /longpolling/poll at a time, with options.prm_exchange = [channel id].
     * The server adds the channel's bus channel only for members and sends
     * signals, not content: "message" (an id: the page fetches the new
     * messages from /my/exchange/<id>/messages, rendered for this member)
     * and "withdraw" (ids hidden or deleted by head office: removed here).
     * The first poll is a "peek" (answered at once: the bus is reachable);
     * after that an idle page makes one long poll about every 50 seconds and
     * nothing else.
     *
     * When the long poll fails (no longpolling process behind /longpolling/,
     * network error) the page falls back to polling the messages route and
     * tries the long poll again, both after a growing delay (5 s doubling up
     * to 60 s); the first long poll that answers ends the fallback.
     */
    var core = require('web.core');
    var session = require('web.session');
    var _t = core._t;

    var LONGPOLL_URL = '/longpolling/poll';
    var LONGPOLL_TIMEOUT_MS = 65000;   // the server answers after 50 s
    var FIRST_DELAY_MS = 5000;
    var MAX_DELAY_MS = 60000;

    function scrollToEnd($thread) {
        $thread.scrollTop($thread.prop('scrollHeight'));
    }

    /**
     * The delay before fallback attempt ``failures`` (1, 2, …) in ms.
     */
    function backoff(failures) {
        return Math.min(FIRST_DELAY_MS * Math.pow(2, Math.max(failures - 1, 0)),
            MAX_DELAY_MS);
    }

    function ExchangeLive($thread, $status) {
        this.$thread = $thread;
        this.$status = $status;
        this.url = $thread.data('poll-url');
        this.channelId = parseInt($thread.data('channel-id'), 10);
        this.lastId = parseInt($thread.data('last-id'), 10) || 0;
        this.busLast = 0;
        this.failures = 0;
        this.fetching = null;
        this.fetchAgain = false;
        this.stopped = false;
        this.rpcId = 0;
        // a peek answers at once: whether the bus is reachable, without
        // waiting for a message (first poll, and each try in the fallback)
        this.peek = true;
    }

    ExchangeLive.prototype = {
        start: function () {
            this.longpoll();
        },

        setStatus: function (live) {
            this.$status.attr('data-live', live ? '1' : '0').text(live ?
                _t("New messages appear here as they are posted.") :
                _t("No live connection: new messages are checked from time to time."));
        },

        /** The messages newer than the newest shown, rendered by the server. */
        fetchNew: function () {
            var self = this;
            if (this.fetching) {
                this.fetchAgain = true;
                return this.fetching;
            }
            this.fetching = $.ajax({
                url: this.url,
                data: {after: this.lastId, seen: document.hidden ? '0' : '1'},
                dataType: 'json',
                cache: false,
            }).done(function (data) {
                var added = false;
                (data.messages || []).forEach(function (message) {
                    if (!self.$thread.find('[data-message-id="' + message.id + '"]').length) {
                        self.$thread.append(message.html);
                        added = true;
                    }
                    self.lastId = Math.max(self.lastId, message.id);
                });
                if (added) {
                    self.$thread.find('.o_prm_exchange_empty').remove();
                    scrollToEnd(self.$thread);
                }
            }).fail(function (xhr, textStatus) {
                // signed out (login page instead of JSON) or removed from
                // the channel: stop asking
                if (xhr.status === 403 || xhr.status === 404 ||
                        textStatus === 'parsererror') {
                    self.stopped = true;
                }
            }).always(function () {
                self.fetching = null;
                if (self.fetchAgain && !self.stopped) {
                    self.fetchAgain = false;
                    self.fetchNew();
                }
            });
            return this.fetching;
        },

        withdraw: function (ids) {
            var self = this;
            (ids || []).forEach(function (id) {
                self.$thread.find('[data-message-id="' + parseInt(id, 10) + '"]').remove();
            });
        },

        /** One long poll; the next starts when it answers. */
        longpoll: function () {
            var self = this;
            if (this.stopped) {
                return;
            }
            var options = {prm_exchange: [this.channelId]};
            if (this.peek) {
                options.peek = true;
            }
            this.rpcId += 1;
            $.ajax({
                url: LONGPOLL_URL,
                type: 'POST',
                contentType: 'application/json',
                dataType: 'json',
                timeout: LONGPOLL_TIMEOUT_MS,
                data: JSON.stringify({
                    jsonrpc: '2.0', method: 'call', id: this.rpcId,
                    params: {channels: [], last: this.busLast, options: options},
                }),
            }).done(function (data) {
                // a peek answers {notifications: [...], channels: [...]}
                var notifications = data && !data.error && data.result &&
                    ($.isArray(data.result) ? data.result : data.result.notifications);
                if (!$.isArray(notifications)) {
                    self.fallback();
                    return;
                }
                self.peek = false;
                var wasFailing = self.failures > 0;
                self.failures = 0;
                self.setStatus(true);
                self.handle(notifications);
                if (wasFailing) {
                    self.fetchNew();  // what came while the bus was away
                }
                self.longpoll();
            }).fail(function () {
                self.fallback();
            });
        },

        handle: function (notifications) {
            var self = this;
            var fetch = false;
            notifications.forEach(function (notification) {
                var message = notification.message || {};
                self.busLast = Math.max(self.busLast, notification.id || 0);
                if (message.channel_id !== self.channelId) {
                    return;
                }
                if (message.prm_exchange === 'message' && message.message_id > self.lastId) {
                    fetch = true;
                } else if (message.prm_exchange === 'withdraw') {
                    self.withdraw(message.message_ids);
                }
            });
            if (fetch) {
                this.fetchNew();
            }
        },

        /** Long poll unreachable: poll the messages route, try again later. */
        fallback: function () {
            var self = this;
            this.failures += 1;
            this.peek = true;
            this.setStatus(false);
            window.setTimeout(function () {
                if (self.stopped) {
                    return;
                }
                self.fetchNew().always(function () {
                    self.longpoll();
                });
            }, backoff(this.failures));
        },
    };

    $(function () {
        var $thread = $('.o_prm_exchange_thread');
        if (!$thread.length) {
            return;
        }
        scrollToEnd($thread);
        if (!$thread.data('poll-url')) {
            return;  // browsing older messages: no live updates
        }
        var live = new ExchangeLive($thread, $('.o_prm_exchange_live'));
        $thread.data('prmExchangeLive', live);
        // the status texts need the session's translations
        $.when(session.is_bound).always(function () {
            live.start();
        });
    });

    return {ExchangeLive: ExchangeLive, backoff: backoff};
});
