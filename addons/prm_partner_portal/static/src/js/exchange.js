odoo.define('prm_partner_portal.exchange', function () {
    'use strict';

    // New messages arrive by POLLING a small JSON route every few seconds.
    // Odoo 11's longpolling bus (bus.bus, /longpolling/poll) is only wired
    // into the backend web client: portal pages load no bus service, and it
    // needs the separate gevent longpolling worker behind the proxy. A
    // 5-second poll of /my/exchange/<id>/messages is simple, works behind
    // any proxy and costs one indexed query per open page.
    var POLL_MS = 5000;

    function scrollToEnd($thread) {
        $thread.scrollTop($thread.prop('scrollHeight'));
    }

    $(function () {
        var $thread = $('.o_prm_exchange_thread');
        var url = $thread.data('poll-url');
        if (!$thread.length) {
            return;
        }
        scrollToEnd($thread);
        if (!url) {
            return;  // browsing older messages: no live updates
        }
        var lastId = parseInt($thread.data('last-id'), 10) || 0;
        var busy = false;
        var stopped = false;

        function poll() {
            if (busy || stopped) {
                return;
            }
            busy = true;
            $.ajax({
                url: url,
                data: {after: lastId, seen: document.hidden ? '0' : '1'},
                dataType: 'json',
                cache: false,
            }).done(function (data) {
                var added = false;
                (data.messages || []).forEach(function (message) {
                    if (!$thread.find('[data-message-id="' + message.id + '"]').length) {
                        $thread.append(message.html);
                        added = true;
                    }
                    lastId = Math.max(lastId, message.id);
                });
                if (added) {
                    $thread.find('.o_prm_exchange_empty').remove();
                    scrollToEnd($thread);
                }
            }).fail(function (xhr, textStatus) {
                // signed out (login page instead of JSON) or removed from
                // the channel: stop asking
                if (xhr.status === 403 || xhr.status === 404 ||
                        textStatus === 'parsererror') {
                    stopped = true;
                }
            }).always(function () {
                busy = false;
            });
        }
        window.setInterval(poll, POLL_MS);
    });
});
