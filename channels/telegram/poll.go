package telegram

import (
	"context"
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/linkline/linkline/bot"
)

// Poller receives updates by long polling getUpdates, for servers Telegram
// cannot reach. Each update is handed to the engine and only then is the
// offset past it saved, so a restart neither loses an update nor (thanks
// to the engine's ProviderID check) handles one twice.
type Poller struct {
	b       *Bot
	eng     Engine
	offsets OffsetStore
	key     string
}

// NewPoller returns a Poller for b that hands updates to eng and keeps its
// offset in offsets.
func NewPoller(b *Bot, eng Engine, offsets OffsetStore) *Poller {
	return &Poller{b: b, eng: eng, offsets: offsets, key: fmt.Sprintf("telegram:%d", b.self.ID)}
}

// Run deletes any webhook (Telegram refuses getUpdates while one is set) and
// polls until ctx ends, when it returns nil. Failures are logged and
// retried with backoff; an update the engine cannot take yet is offered
// again rather than skipped.
func (p *Poller) Run(ctx context.Context) error {
	backoff := &backoff{base: p.b.cfg.Backoff, d: p.b.cfg.Backoff}
	for {
		_, err := p.b.call(ctx, "deleteWebhook", nil)
		if err == nil {
			break
		}
		p.b.log.Error("telegram: delete webhook before polling", "err", err)
		if backoff.sleep(ctx) != nil {
			return nil
		}
	}
	backoff.reset()
	for {
		offset, err := p.offsets.Offset(ctx, p.key)
		if err == nil {
			err = p.poll(ctx, offset)
		}
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			p.b.log.Error("telegram: poll updates", "err", err)
			if backoff.sleep(ctx) != nil {
				return nil
			}
			continue
		}
		backoff.reset()
	}
}

// poll makes one getUpdates call and handles what it brings, saving the
// offset after each update.
func (p *Poller) poll(ctx context.Context, offset int64) error {
	wait := p.b.cfg.PollTimeout
	cctx, cancel := context.WithTimeout(ctx, wait+p.b.cfg.Timeout)
	defer cancel()
	updates, err := p.b.api(cctx).GetUpdates(tgbotapi.UpdateConfig{
		Offset: int(offset), Limit: 100, Timeout: max(int(wait/time.Second), 1), AllowedUpdates: allowedUpdates,
	})
	if err != nil {
		return fmt.Errorf("telegram getUpdates: %w", redact(err, p.b.cfg.Token))
	}
	for i := range updates {
		u := &updates[i]
		if err := p.b.handleUpdate(ctx, p.eng, u); err != nil {
			if bot.ErrorCode(err) != bot.EInvalid {
				return fmt.Errorf("update %d: %w", u.UpdateID, err)
			}
			p.b.log.Warn("telegram: update refused", "update_id", u.UpdateID, "err", err)
		}
		if err := p.offsets.SetOffset(ctx, p.key, int64(u.UpdateID)+1); err != nil {
			return fmt.Errorf("save offset after update %d: %w", u.UpdateID, err)
		}
	}
	return nil
}

// backoff doubles a delay from base to 30s between failed attempts.
type backoff struct{ base, d time.Duration }

func (b *backoff) reset() { b.d = b.base }

func (b *backoff) sleep(ctx context.Context) error {
	err := sleep(ctx, b.d)
	b.d = min(2*b.d, 30*time.Second)
	return err
}
