// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title TollgateDisperse: pays many recipients of one ERC-20 token in one transaction.
/// @notice The caller (Tollgate's hot wallet) approves this contract for the token once, then
///         `disperseToken` pulls each amount from the caller straight to its recipient with
///         transferFrom. Each transfer is tried on its own: a refused one (a call that reverts, or
///         a token that answers `false`) is reported with `Refused` and never undoes the others.
///         Tokens that return nothing (mainnet USDT) count as paid when the call succeeds. The
///         contract holds nothing, has no owner and no storage: whoever calls pays from their own
///         balance and allowance only.
contract TollgateDisperse {
    /// Recipient `index` (its place in `to`) received `amount`.
    event Paid(uint256 indexed index, address indexed to, uint256 amount);
    /// The token refused the transfer to recipient `index`; nothing moved for it.
    event Refused(uint256 indexed index, address indexed to, uint256 amount);

    error LengthMismatch();
    /// The token address holds no code: every call to it would "succeed" and pay nobody.
    error NotAContract();

    function disperseToken(address token, address[] calldata to, uint256[] calldata amounts) external {
        uint256 n = to.length;
        if (n != amounts.length) revert LengthMismatch();
        if (token.code.length == 0) revert NotAContract();
        for (uint256 i; i < n; ) {
            address recipient = to[i];
            uint256 amount = amounts[i];
            bool ok;
            assembly ("memory-safe") {
                // transferFrom(msg.sender, recipient, amount), built past the free memory pointer
                // (scratch: never kept, so the pointer is not moved).
                let p := mload(0x40)
                mstore(p, shl(224, 0x23b872dd))
                mstore(add(p, 0x04), caller())
                mstore(add(p, 0x24), recipient)
                mstore(add(p, 0x44), amount)
                mstore(0x00, 0)
                // Only the first word of the answer is read: a long answer costs the token, not us.
                let success := call(gas(), token, 0, p, 0x64, 0x00, 0x20)
                // Paid: the call succeeded and answered nothing (USDT) or a first word of exactly 1 (true).
                ok := and(success, or(iszero(returndatasize()), and(gt(returndatasize(), 0x1f), eq(mload(0x00), 1))))
            }
            if (ok) emit Paid(i, recipient, amount);
            else emit Refused(i, recipient, amount);
            unchecked {
                ++i;
            }
        }
    }
}
